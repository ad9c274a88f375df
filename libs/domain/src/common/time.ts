/**
 * Times are ISO 8601 instants in UTC with a `Z` suffix, as the injected clock gives them.
 * In that one format, string order is time order, so guards compare strings and the
 * domain never constructs a `Date` from the wall clock.
 */
export type Instant = string;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isInstant = (value: unknown): value is Instant =>
  typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));

/** A calendar date `YYYY-MM-DD` that exists (no 30 February). */
export const isCalendarDate = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
};

const ISO_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether the text has the shape of an ISO 8601 time with a zone (`2026-06-14T22:00Z`, `…+01:00`), valid or not. */
export const hasIsoTimeShape = (text: string): boolean => ISO_TIME.test(text);

/**
 * The instant an ISO 8601 time with a zone names, in UTC as `toISOString` writes it; undefined
 * for a time that does not exist. `Date.parse` alone would take 30 February for 2 March.
 */
export const instantOfIsoTime = (text: string): Instant | undefined => {
  const match = ISO_TIME.exec(text);
  if (!match || !isCalendarDate(match[1])) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

/** Whole years between a date of birth and the calendar date of an instant (UTC). */
export const ageOn = (dateOfBirth: string, at: Instant): number => {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ay, am, ad] = at.slice(0, 10).split('-').map(Number);
  const hadBirthday = am > bm || (am === bm && ad >= bd);
  return ay - by - (hadBirthday ? 0 : 1);
};
