import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatsFor } from './formats';

describe(formatsFor.name, () => {
  const now = () => new Date('2026-05-01T12:00:00Z');

  it('words a time in the fund’s zone as GOV.UK does: "Sunday 14 June at 10pm"', () => {
    const en = formatsFor('en-GB', '{date} at {time}', now);
    expect(en.dateTime('2026-06-14T21:00:00Z', 'Europe/London')).toBe('Sunday 14 June at 10pm'); // 22:00 British Summer Time
    expect(en.dateTime('2026-12-14T09:30:00Z', 'Europe/London')).toBe('Monday 14 December at 9:30am');
    expect(en.dateTime('2027-01-03T12:00:00Z', 'Europe/London')).toBe('Sunday 3 January 2027 at midday');
    expect(en.money('500000')).toBe('£5,000');
    expect(en.money(500050)).toBe('£5,000.50');
  });

  it('gives Bengali digits and month names, and a 24-hour clock', () => {
    const bn = formatsFor('bn-BD', '{date}, {time}', now);
    expect(bn.dateTime('2026-06-14T21:00:00Z', 'Europe/London')).toBe('রবিবার ১৪ জুন, ২২:০০');
    expect(bn.number(1234)).toBe('১,২৩৪');
    expect(bn.money(500000)).toMatch(/^৫,০০০/);
  });

  it('shows the same instant as each fund’s own clock reads it, the day included', () => {
    const en = formatsFor('en-GB', '{date} at {time}', now);
    const bn = formatsFor('bn-BD', '{date}, {time}', now);
    const instant = '2026-06-14T21:00:00Z';
    expect(en.dateTime(instant, 'America/New_York')).toBe('Sunday 14 June at 5pm');
    expect(en.dateTime(instant, 'Asia/Dhaka')).toBe('Monday 15 June at 3am');
    expect(en.date(instant, 'Asia/Dhaka')).toBe('Monday 15 June 2026');
    expect(bn.dateTime(instant, 'Asia/Dhaka')).toBe('সোমবার ১৫ জুন, ০৩:০০');
    expect(bn.dateTime(instant, 'America/New_York')).toBe('রবিবার ১৪ জুন, ১৭:০০');
    // New Year comes first in Dhaka: the year shows where that clock has already moved on.
    expect(en.dateTime('2026-12-31T20:00:00Z', 'Asia/Dhaka')).toBe('Friday 1 January 2027 at 2am');
    expect(en.dateTime('2026-12-31T20:00:00Z', 'America/New_York')).toBe('Thursday 31 December at 3pm');
  });

  it('words an instant again as it did, until the zone’s year turns and it needs its year', () => {
    let at = new Date('2026-12-31T23:00:00Z');
    const en = formatsFor('en-GB', '{date} at {time}', () => at);
    const closes = '2026-06-14T21:00:00Z';
    expect(en.dateTime(closes, 'Europe/London')).toBe('Sunday 14 June at 10pm');
    expect(en.dateTime(new Date(closes), 'Europe/London')).toBe('Sunday 14 June at 10pm');
    expect(en.dateTime(closes, 'Asia/Dhaka')).toBe('Monday 15 June 2026 at 3am'); // already 2027 in Dhaka
    at = new Date('2027-01-01T00:00:01Z');
    expect(en.dateTime(closes, 'Europe/London')).toBe('Sunday 14 June 2026 at 10pm');
    expect(() => en.dateTime('not a date', 'Europe/London')).toThrow(RangeError);
  });

  it('knows the zone’s year has turned at the first page after it, even seconds after the page before', () => {
    let at = new Date('2026-12-31T23:59:30Z');
    const en = formatsFor('en-GB', '{date} at {time}', () => at);
    const closes = '2026-06-14T21:00:00Z';
    expect(en.dateTime(closes, 'Europe/London')).toBe('Sunday 14 June at 10pm');
    at = new Date('2026-12-31T23:59:59Z');
    expect(en.dateTime(closes, 'Europe/London')).toBe('Sunday 14 June at 10pm');
    at = new Date('2027-01-01T00:00:00Z');
    expect(en.dateTime(closes, 'Europe/London')).toBe('Sunday 14 June 2026 at 10pm');
    // A clock set back (a test's, or the machine's) is asked again too.
    at = new Date('2026-12-31T23:59:58Z');
    expect(en.dateTime(closes, 'Europe/London')).toBe('Sunday 14 June at 10pm');
  });

  it('shows a calendar day (a spend’s date) as that day, whatever the zone', () => {
    expect(formatsFor('en-GB').day('2026-06-14')).toBe('Sunday 14 June 2026');
    expect(formatsFor('bn-BD').day('2026-06-14')).toBe('রবিবার, ১৪ জুন, ২০২৬');
  });
});

/** Every date call of every page names its zone (the type checker sees the routes; this sees the views). */
describe('dates in the views', () => {
  const views = join(__dirname, '..', '..', 'views');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.njk') ? [join(dir, e.name)] : [],
    );

  it('pass a time zone to every f.date and f.dateTime', () => {
    const missing: string[] = [];
    for (const file of files(views)) {
      const text = readFileSync(file, 'utf8');
      for (const call of text.matchAll(/\bf\.(?:date|dateTime)\(/g)) {
        // The arguments up to the matching parenthesis; a zone is a second argument at depth 0.
        let depth = 1;
        let commas = 0;
        for (let i = call.index + call[0].length; i < text.length && depth > 0; i++) {
          const c = text[i];
          if (c === '(' || c === '[' || c === '{') depth++;
          else if (c === ')' || c === ']' || c === '}') depth--;
          else if (c === ',' && depth === 1) commas++;
        }
        if (commas < 1) missing.push(`${file.slice(views.length + 1)}: ${text.slice(call.index, call.index + 60)}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
