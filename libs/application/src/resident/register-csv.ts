import { once } from 'node:events';
import { parse, type CsvError, type Options } from 'csv-parse';
import {
  DomainError,
  missingRegisterColumns,
  OPTIONAL_REGISTER_COLUMNS,
  REGISTER_COLUMNS,
  type RegisterColumn,
  type RegisterRecord,
  type RegisterRowError,
} from '@civic/domain';

/** A register file: the whole text, or its chunks as they arrive (a file stream, an upload). */
export type RegisterCsvSource = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** One record of the file, by column, with the line it starts on; or a record that is not valid CSV. */
export type RegisterCsvItem = { readonly line: number; readonly record: RegisterRecord } | { readonly refused: RegisterRowError };

/** A record as the parser hands it over: its cells, and the line it starts on. */
type Cells = { readonly line: number; readonly cells: string[] };

/** Slices of this size are handed to the parser, so that a whole file given as one string is still read a slice at a time. */
const SLICE_BYTES = 64 * 1024;

const KNOWN: readonly string[] = [...REGISTER_COLUMNS, ...OPTIONAL_REGISTER_COLUMNS];

/** `Date of birth`, `date-of-birth` and `DATE_OF_BIRTH` all name `date_of_birth`. */
const columnName = (cell: string) =>
  cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/**
 * Reads a register in CSV (RFC 4180, through csv-parse): a header naming `reference`, `ward`
 * and `date_of_birth`, optionally `name`, `address` and `email`, in any order (other columns
 * are ignored), then one record per resident. Quoted fields may hold commas, doubled quotes
 * and line breaks (an address over two lines); a UTF-8 byte-order mark, CRLF or LF line ends
 * (mixed too) and blank lines are accepted. A record that is not valid CSV (a stray quote) is
 * refused on its own line with `REGISTER.INVALID_CSV`, and the records after it are read as
 * usual; a quote never closed takes the rest of the file with it, as in any CSV reader, and so
 * does text after a closing quote (`"Bow"x`: csv-parse reads on inside the field), both
 * refused from the line where it starts, saying that the rest of the file went with it. A
 * missing or broken header refuses the whole file (`DomainError` `REGISTER.INVALID_CSV`).
 *
 * Lines are the file's own (a record spanning lines is reported on its first): they are
 * counted here from the bytes the parser reports, as csv-parse counts a CRLF inside quotes as
 * two lines. The file is parsed as it is read, a slice at a time, with backpressure: the
 * memory held is a slice and the records not yet taken, whatever the file's length.
 */
export async function* readRegisterCsv(source: RegisterCsvSource): AsyncGenerator<RegisterCsvItem> {
  const lines = new LineCounter();
  const refusals: RegisterRowError[] = [];
  const options: Options<Cells, string[]> = {
    bom: true,
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // Spaces around a field are not part of it, quoted or not (`"Bow" ,` is the field Bow).
    trim: true,
    // Both run as the parser meets a record, in file order: `bytes` is where the record ends.
    on_record: (record: string[], info: { bytes: number }): Cells | null => {
      if (record.every((cell) => cell.trim() === '')) return null;
      const breaksInside = record.reduce((n, cell) => n + countLineBreaks(cell), 0);
      return { line: lines.lineEnding(info.bytes) - breaksInside, cells: record };
    },
    // `bytes` is where the last whole field before the fault ends: the record's first line, unless a field before the fault spans lines.
    on_skip: (err: CsvError | undefined): undefined => {
      if (err)
        refusals.push({
          line: lines.lineAt((err as CsvError & { bytes: number }).bytes),
          code: 'REGISTER.INVALID_CSV',
          message: faultMessage(err),
        });
    },
  };
  // The typings tie on_record's result to the column options; without columns the record is ours to shape.
  const parser = parse(options as unknown as Options);
  const stop = new AbortController();
  const feeding = feed(source, parser, lines, stop.signal);
  try {
    let columns: (RegisterColumn | undefined)[] | undefined;
    for await (const { line, cells } of parser as AsyncIterable<Cells>) {
      if (columns === undefined) {
        if (refusals.length > 0 && refusals[0].line < line) throw invalidHeader('The header is not valid CSV.');
        columns = header(cells);
        continue;
      }
      // Refusals met before this record come first, in file order.
      while (refusals.length > 0 && refusals[0].line < line) yield { refused: refusals.shift()! };
      const record: Partial<Record<RegisterColumn, string>> = {};
      columns.forEach((column, i) => column && (record[column] = cells[i]));
      yield { line, record };
    }
    await feeding;
    if (columns === undefined) throw invalidHeader(refusals.length > 0 ? 'The header is not valid CSV.' : 'The file is empty.');
    for (const refused of refusals) yield { refused };
  } finally {
    stop.abort();
    parser.destroy();
  }
}

/** The columns of the header, by position: those the register knows, each named once. */
function header(cells: string[]): (RegisterColumn | undefined)[] {
  const names = cells.map(columnName);
  const missing = missingRegisterColumns(names);
  if (missing.length > 0) throw invalidHeader(`The header must name reference, ward and date_of_birth (missing: ${missing.join(', ')}).`);
  const twice = KNOWN.find((name) => names.indexOf(name) !== names.lastIndexOf(name));
  if (twice) throw invalidHeader(`The header names the column ${twice} twice.`);
  return names.map((name) => (KNOWN.includes(name) ? (name as RegisterColumn) : undefined));
}

const invalidHeader = (detail: string) => new DomainError('REGISTER.INVALID_CSV', detail);

/** What is wrong with a record, without its content. */
function faultMessage(err: CsvError): string {
  switch (err.code) {
    case 'INVALID_OPENING_QUOTE':
      return 'This record is not valid CSV: a quote inside a field that is not quoted (quote the whole field, and double the quotes in it).';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'This record is not valid CSV: text after the closing quote of a field (double the quotes inside a quoted field).';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'This record is not valid CSV: a quote opened here is never closed, so the rest of the file was read as one field.';
    default:
      return 'This record is not valid CSV.';
  }
}

const countLineBreaks = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/** Hands the source to the parser a slice at a time, waiting whenever the parser is full, and ends it. */
async function feed(source: RegisterCsvSource, parser: ReturnType<typeof parse>, lines: LineCounter, signal: AbortSignal): Promise<void> {
  try {
    for await (const chunk of chunksOf(source)) {
      for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
        const slice = chunk.subarray(at, at + SLICE_BYTES);
        lines.append(slice);
        if (!parser.write(slice)) await once(parser, 'drain', { signal });
      }
    }
    parser.end();
  } catch (err) {
    if (!signal.aborted) parser.destroy(err as Error);
  }
}

async function* chunksOf(source: RegisterCsvSource): AsyncIterable<Buffer> {
  const bytes = (chunk: string | Uint8Array) =>
    typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof source === 'string' || source instanceof Uint8Array) yield bytes(source);
  else for await (const chunk of source) yield bytes(chunk);
}

/**
 * Line numbers from byte offsets, counting LF (alone or in CRLF) as the file's line breaks.
 * Offsets are asked in increasing order, so the bytes before the last one asked are dropped.
 */
class LineCounter {
  private readonly chunks: Buffer[] = [];
  /** Offset of the first byte of `chunks[0]`, and how far into it the count has gone. */
  private chunkStart = 0;
  private counted = 0;
  private breaks = 0;

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  /** The line the byte at `offset` is on (1-based). */
  lineAt(offset: number): number {
    return this.breaksBefore(offset) + 1;
  }

  /** The line a record ending at `offset` (after its line break, if any) ends on. */
  lineEnding(offset: number): number {
    const breaks = this.breaksBefore(offset);
    return this.endsWithBreak ? breaks : breaks + 1;
  }

  private endsWithBreak = false;

  private breaksBefore(offset: number): number {
    while (this.chunks.length > 0 && this.chunkStart + this.counted < offset) {
      const chunk = this.chunks[0];
      const end = Math.min(chunk.length, offset - this.chunkStart);
      for (let i = chunk.indexOf(0x0a, this.counted); i >= 0 && i < end; i = chunk.indexOf(0x0a, i + 1)) this.breaks++;
      this.endsWithBreak = chunk[end - 1] === 0x0a;
      this.counted = end;
      if (end === chunk.length) {
        this.chunks.shift();
        this.chunkStart += chunk.length;
        this.counted = 0;
      }
    }
    return this.breaks;
  }
}
