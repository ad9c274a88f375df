/**
 * Dates, numbers and money for one language, through `Intl` (for `bn-BD`: Bengali digits and
 * month names). Times are shown in the fund's time zone: the API carries none yet, so every
 * fund is in Europe/London.
 */
export const DEFAULT_TIME_ZONE = 'Europe/London';

export interface Formats {
  number(n: number): string;
  /** Whole pounds when the amount has no pence ("£5,000"), else with pence ("£5,000.50"). */
  money(pence: number | string): string;
  /** "Sunday 14 June 2026" */
  date(iso: string | Date): string;
  /** "Sunday 14 June at 10pm" (with the year when it is not this year's) */
  dateTime(iso: string | Date): string;
  percent(fraction: number): string;
}

/**
 * `at` joins a date and a time in the language ("{date} at {time}"): from the catalogue, so a
 * translator words it without code.
 */
export function formatsFor(intl: string, at = '{date}, {time}', timeZone = DEFAULT_TIME_ZONE, now: () => Date = () => new Date()): Formats {
  const number = new Intl.NumberFormat(intl);
  const whole = new Intl.NumberFormat(intl, { style: 'currency', currency: 'GBP', minimumFractionDigits: 0, maximumFractionDigits: 0 });
  const exact = new Intl.NumberFormat(intl, { style: 'currency', currency: 'GBP', minimumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 0 });
  const day = new Intl.DateTimeFormat(intl, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const dayThisYear = new Intl.DateTimeFormat(intl, { timeZone, weekday: 'long', day: 'numeric', month: 'long' });
  const year = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' });
  const english = intl.startsWith('en');
  // English reads "10pm"; other languages get their own 24-hour clock ("২২:০০"), not a Latin "PM".
  const time = new Intl.DateTimeFormat(intl, {
    timeZone,
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: english ? ('h12' as const) : ('h23' as const),
  });
  // en-GB writes "Sunday, 3 January 2027" with a year; GOV.UK style has no comma.
  const plain = (text: string) => (english ? text.replace(/^(\p{L}+),/u, '$1') : text);
  const clock = (d: Date): string => {
    // GOV.UK style for English: "10pm", "9:30am", "midday", "midnight".
    if (!english) return time.format(d);
    const parts = Object.fromEntries(time.formatToParts(d).map((p) => [p.type, p.value]));
    const period = String(parts.dayPeriod ?? '')
      .toLowerCase()
      .replace(/\./g, '');
    if (parts.minute === '00' && parts.hour === '12') return period.startsWith('p') ? 'midday' : 'midnight';
    return `${parts.hour}${parts.minute === '00' ? '' : `:${parts.minute}`}${period}`;
  };
  return {
    number: (n) => number.format(n),
    money: (pence) => {
      const p = Number(pence);
      return p % 100 === 0 ? whole.format(p / 100) : exact.format(p / 100);
    },
    date: (iso) => plain(day.format(new Date(iso))),
    dateTime: (iso) => {
      const d = new Date(iso);
      const sameYear = year.format(d) === year.format(now());
      return at.replace('{date}', plain((sameYear ? dayThisYear : day).format(d))).replace('{time}', clock(d));
    },
    percent: (f) => percent.format(f),
  };
}
