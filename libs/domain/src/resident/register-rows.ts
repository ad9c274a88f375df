import { isCalendarDate, type ErrorCode } from '../common';
import { EARLIEST_DATE_OF_BIRTH } from './personal-data';
import { isValidReference, normaliseReference } from './reference';

/** One valid row of the register of eligible residents. */
export interface RegisterRow {
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

export interface RegisterRowError {
  readonly line: number;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface ParsedRegister {
  readonly rows: readonly RegisterRow[];
  readonly errors: readonly RegisterRowError[];
}

const HEADER = ['reference', 'ward', 'date_of_birth'];
const OPTIONAL = ['name', 'address', 'email'] as const;

/** Splits one CSV line, honouring double quotes and doubled quotes inside them (RFC 4180). */
const splitCsvLine = (line: string): string[] => {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') ((cell += '"'), i++);
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) (cells.push(cell), (cell = ''));
    else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
};

const headerKey = (cell: string) => cell.toLowerCase().replace(/[\s-]+/g, '_');

/**
 * Parses the register (CSV with a header `reference,ward,date_of_birth`, optionally
 * `name`, `address`, `email`, in any column order). Bad rows are reported by line number and code, never by content, and do not
 * stop the good ones; a reference seen twice is reported on its second line.
 */
export const parseRegisterCsv = (text: string): ParsedRegister => {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map(headerKey);
  const columns = HEADER.map((name) => header.indexOf(name));
  const optional = OPTIONAL.map((name) => [name, header.indexOf(name)] as const).filter(([, c]) => c >= 0);
  if (columns.some((c) => c < 0)) {
    return {
      rows: [],
      errors: [{ line: 1, code: 'REGISTER.INVALID_CSV', message: 'The header must name reference, ward and date_of_birth.' }],
    };
  }
  const rows: RegisterRow[] = [];
  const errors: RegisterRowError[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((raw, index) => {
    const line = index + 2;
    if (raw.trim() === '') return;
    const cells = splitCsvLine(raw);
    const [reference, ward, dateOfBirth] = columns.map((c) => cells[c] ?? '');
    const normalised = normaliseReference(reference);
    const error = (code: ErrorCode, message: string) => errors.push({ line, code, message });
    if (!isValidReference(normalised)) error('RESIDENT.INVALID_REFERENCE', 'The reference is not valid.');
    else if (ward === '' || ward.length > 100) error('RESIDENT.INVALID_WARD', 'The ward is missing.');
    else if (!isCalendarDate(dateOfBirth) || dateOfBirth < EARLIEST_DATE_OF_BIRTH)
      error('RESIDENT.INVALID_DATE_OF_BIRTH', `The date of birth must be YYYY-MM-DD, from ${EARLIEST_DATE_OF_BIRTH}.`);
    else if (seen.has(normalised)) error('RESIDENT.ALREADY_REGISTERED', 'This reference appears earlier in the file.');
    else {
      seen.add(normalised);
      const extra = Object.fromEntries(optional.flatMap(([name, c]) => (cells[c] ? [[name, cells[c]]] : [])));
      rows.push({ line, reference: normalised, ward, dateOfBirth, ...extra });
    }
  });
  return { rows, errors };
};
