import { formatsFor } from './formats';

describe(formatsFor.name, () => {
  const now = () => new Date('2026-05-01T12:00:00Z');

  it('words a time in the fund’s zone as GOV.UK does: "Sunday 14 June at 10pm"', () => {
    const en = formatsFor('en-GB', '{date} at {time}', 'Europe/London', now);
    expect(en.dateTime('2026-06-14T21:00:00Z')).toBe('Sunday 14 June at 10pm'); // 22:00 British Summer Time
    expect(en.dateTime('2026-12-14T09:30:00Z')).toBe('Monday 14 December at 9:30am');
    expect(en.dateTime('2027-01-03T12:00:00Z')).toBe('Sunday 3 January 2027 at midday');
    expect(en.money('500000')).toBe('£5,000');
    expect(en.money(500050)).toBe('£5,000.50');
  });

  it('gives Bengali digits and month names, and a 24-hour clock', () => {
    const bn = formatsFor('bn-BD', '{date}, {time}', 'Europe/London', now);
    expect(bn.dateTime('2026-06-14T21:00:00Z')).toBe('রবিবার ১৪ জুন, ২২:০০');
    expect(bn.number(1234)).toBe('১,২৩৪');
    expect(bn.money(500000)).toMatch(/^৫,০০০/);
  });
});
