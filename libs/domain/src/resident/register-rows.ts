import { isCalendarDate, type ErrorCode } from '../common';
import { EARLIEST_DATE_OF_BIRTH } from './personal-data';
import { isValidReference, normaliseReference } from './reference';

/** The register's columns: every row names these three… */
export const REGISTER_COLUMNS = ['reference', 'ward', 'date_of_birth'] as const;
/** …and may hold these personal ones, sealed by the application before anything is recorded. */
export const OPTIONAL_REGISTER_COLUMNS = ['name', 'address', 'email'] as const;

export type RegisterColumn = (typeof REGISTER_COLUMNS)[number] | (typeof OPTIONAL_REGISTER_COLUMNS)[number];

/** One row of the register as read from its file (whatever the format), by column. */
export type RegisterRecord = Readonly<Partial<Record<RegisterColumn, string>>>;

/** One valid row of the register of eligible residents. */
export interface RegisterRow {
  /** Where the row starts in its file, for the import's report. */
  readonly line: number;
  /** Normalised (see `normaliseReference`). */
  readonly reference: string;
  readonly ward: string;
  readonly dateOfBirth: string;
  /** Optional columns: personal, sealed by the application before anything is recorded. */
  readonly name?: string;
  readonly address?: string;
  readonly email?: string;
}

/** A row refused, by line and code: never by content. */
export interface RegisterRowError {
  readonly line: number;
  readonly code: ErrorCode;
  readonly message: string;
}

export const isRegisterRowError = (checked: RegisterRow | RegisterRowError): checked is RegisterRowError => 'code' in checked;

/** The required columns a register's columns lack: empty when it names them all. */
export const missingRegisterColumns = (columns: readonly string[]): RegisterColumn[] =>
  REGISTER_COLUMNS.filter((column) => !columns.includes(column));

/**
 * Checks the rows of one register, in file order: each valid row comes back normalised, each
 * bad one as a refusal by line and code, never by content; a reference seen twice is refused
 * on its second row. Values are trimmed; an empty optional value is left out. Keeps only the
 * references seen, so a register of any length can be checked as it is read.
 */
export const registerRowChecker = (): ((line: number, record: RegisterRecord) => RegisterRow | RegisterRowError) => {
  const seen = new Set<string>();
  return (line, record) => {
    const value = (column: RegisterColumn) => (record[column] ?? '').trim();
    const [reference, ward, dateOfBirth] = REGISTER_COLUMNS.map(value);
    const normalised = normaliseReference(reference);
    const refuse = (code: ErrorCode, message: string): RegisterRowError => ({ line, code, message });
    if (!isValidReference(normalised)) return refuse('RESIDENT.INVALID_REFERENCE', 'The reference is not valid.');
    if (ward === '' || ward.length > 100) return refuse('RESIDENT.INVALID_WARD', 'The ward is missing.');
    if (!isCalendarDate(dateOfBirth) || dateOfBirth < EARLIEST_DATE_OF_BIRTH)
      return refuse('RESIDENT.INVALID_DATE_OF_BIRTH', `The date of birth must be YYYY-MM-DD, from ${EARLIEST_DATE_OF_BIRTH}.`);
    if (seen.has(normalised)) return refuse('RESIDENT.ALREADY_REGISTERED', 'This reference appears earlier in the file.');
    seen.add(normalised);
    const extra = Object.fromEntries(OPTIONAL_REGISTER_COLUMNS.flatMap((column) => (value(column) ? [[column, value(column)]] : [])));
    return { line, reference: normalised, ward, dateOfBirth, ...extra };
  };
};
