/**
 * Dates, numbers and money for one language, through `Intl` (for `bn-BD`: Bengali digits and
 * month names). Every instant is shown in a time zone the caller names: a fund's `timeZone` for
 * anything of a fund, the council's (`COUNCIL_TIME_ZONE`) for what belongs to no fund (an audit
 * event, a resident's registration). There is no default, so a page cannot show a fund's date
 * in the wrong zone by leaving the zone out.
 */
export const COUNCIL_TIME_ZONE = 'Europe/London';

export interface Formats {
  number(n: number): string;
  /** Whole pounds when the amount has no pence ("£5,000"), else with pence ("£5,000.50"). */
  money(pence: number | string): string;
  /** "Sunday 14 June 2026", the day the instant falls on in `timeZone` */
  date(iso: string | Date, timeZone: string): string;
  /** "Sunday 14 June at 10pm" in `timeZone` (with the year when it is not that zone's current year) */
  dateTime(iso: string | Date, timeZone: string): string;
  /** A calendar day with no time of day ("2026-06-14", the day of a spend): the same day in every zone. */
  day(isoDay: string): string;
  percent(fraction: number): string;
}

/** Instants worded at once by `dateTime`, per language (past it, all are worded afresh). */
const MAX_WORDED = 1000;

/** How long a zone's current year, once looked up, is taken as known (when it does not turn meanwhile). */
const YEAR_CHECK_MS = 60_000;

interface ZoneFormats {
  day: Intl.DateTimeFormat;
  dayThisYear: Intl.DateTimeFormat;
  year: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
  /** The zone's year from `from` until `until` (epoch ms), once looked up. */
  thisYear?: { year: string; from: number; until: number };
}

/**
 * `at` joins a date and a time in the language ("{date} at {time}"): from the catalogue, so a
 * translator words it without code.
 */
export function formatsFor(intl: string, at = '{date}, {time}', now: () => Date = () => new Date()): Formats {
  const number = new Intl.NumberFormat(intl);
  const whole = new Intl.NumberFormat(intl, { style: 'currency', currency: 'GBP', minimumFractionDigits: 0, maximumFractionDigits: 0 });
  const exact = new Intl.NumberFormat(intl, { style: 'currency', currency: 'GBP', minimumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 0 });
  const english = intl.startsWith('en');
  // Formatters are dear to build: one set per zone, kept (a council has a handful of zones at most).
  const zones = new Map<string, ZoneFormats>();
  const worded = new Map<string, string>();
  const inZone = (timeZone: string): ZoneFormats => {
    let z = zones.get(timeZone);
    if (!z) {
      z = {
        day: new Intl.DateTimeFormat(intl, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
        dayThisYear: new Intl.DateTimeFormat(intl, { timeZone, weekday: 'long', day: 'numeric', month: 'long' }),
        year: new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' }),
        // English reads "10pm"; other languages get their own 24-hour clock ("২২:০০"), not a Latin "PM".
        time: new Intl.DateTimeFormat(intl, { timeZone, hour: 'numeric', minute: '2-digit', hourCycle: english ? 'h12' : 'h23' }),
      };
      zones.set(timeZone, z);
    }
    return z;
  };
  // The zone's current year, looked up at most once a minute: it holds from a lookup until a minute
  // on when it is still the same year then (years only move forward), exactly, without an Intl
  // format on every page.
  const yearNow = (z: ZoneFormats): string => {
    const t = now().getTime();
    const known = z.thisYear;
    if (known && t >= known.from && t < known.until) return known.year;
    const year = z.year.format(t);
    z.thisYear = z.year.format(t + YEAR_CHECK_MS) === year ? { year, from: t, until: t + YEAR_CHECK_MS } : undefined;
    return year;
  };
  // en-GB writes "Sunday, 3 January 2027" with a year; GOV.UK style has no comma.
  const plain = (text: string) => (english ? text.replace(/^(\p{L}+),/u, '$1') : text);
  const clock = (time: Intl.DateTimeFormat, d: Date): string => {
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
    date: (iso, timeZone) => plain(inZone(timeZone).day.format(new Date(iso))),
    dateTime: (iso, timeZone) => {
      const z = inZone(timeZone);
      const d = new Date(iso);
      // The same instant is worded the same way all year (a fund's closing time, on every confirmation page): kept once worded.
      const year = yearNow(z);
      const key = `${timeZone} ${year} ${d.getTime()}`;
      let text = worded.get(key);
      if (text === undefined) {
        const sameYear = z.year.format(d) === year;
        text = at.replace('{date}', plain((sameYear ? z.dayThisYear : z.day).format(d))).replace('{time}', clock(z.time, d));
        if (worded.size >= MAX_WORDED) worded.clear();
        worded.set(key, text);
      }
      return text;
    },
    day: (isoDay) => plain(inZone('UTC').day.format(new Date(`${isoDay.slice(0, 10)}T12:00:00Z`))),
    percent: (f) => percent.format(f),
  };
}
