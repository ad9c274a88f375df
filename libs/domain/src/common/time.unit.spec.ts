import { hasIsoTimeShape, instantOfIsoTime, isCalendarDate } from './time';

describe('ISO times and calendar dates', () => {
  it('reads an ISO time with a zone as its UTC instant', () => {
    expect(instantOfIsoTime('2026-06-14T22:00Z')).toBe('2026-06-14T22:00:00.000Z');
    expect(instantOfIsoTime('2026-06-14T23:30:15.5+01:00')).toBe('2026-06-14T22:30:15.500Z');
    expect(instantOfIsoTime('2024-02-29T10:00:00Z')).toBe('2024-02-29T10:00:00.000Z');
  });

  it('refuses a date that does not exist, which Date.parse alone moves into the next month', () => {
    for (const text of ['2026-02-30T10:00:00Z', '2026-02-29T10:00Z', '2026-04-31T00:00Z', '2026-13-01T00:00Z', '2026-00-10T00:00Z']) {
      expect(hasIsoTimeShape(text)).toBe(true);
      expect(instantOfIsoTime(text)).toBeUndefined();
    }
    expect(isCalendarDate('2026-02-30')).toBe(false);
  });

  it('refuses a time of day or a zone that does not exist, and text without the shape', () => {
    for (const text of ['2026-01-01T23:60Z', '2026-01-01T10:00+25:00', '2026-01-01', '2026-01-01T10:00', 'soon']) {
      expect(instantOfIsoTime(text)).toBeUndefined();
    }
    expect(hasIsoTimeShape('2026-01-01T10:00')).toBe(false);
  });
});
