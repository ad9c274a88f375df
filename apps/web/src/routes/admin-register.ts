import { StringDecoder } from 'node:string_decoder';
import { ADMIN_IMPORT_REGISTER } from '../graphql/admin.operations';
import type { ApiRefusal } from '../graphql/operation';
import { addError, type FormErrors, noErrors, one, refusalsToErrors } from '../forms/errors';
import { type PageContext, type PageResult, type PageRoute, refuseUnlessFormError } from '../web-app';
import type { RefusedRow } from './register-jobs';

const ADMIN = { staff: ['administrator'] } as const;
const VIEW = 'pages/admin/register.njk';
/** Rows sent to importRegister at once: each chunk is one command, written whole or not at all. */
export const REGISTER_CHUNK_ROWS = 5_000;
export const REGISTER_HEADER = 'reference,ward,date_of_birth';

/** Some rows of the register with its header, and the line of the file its first row had. */
export interface RegisterChunk {
  readonly csv: string;
  readonly firstLine: number;
  /** How many rows it holds (blank ones included). */
  readonly rows: number;
}
type Refused = RefusedRow;

/** Splits a register CSV into chunks of whole rows, each with the header, and the file line its first row had. */
export function registerChunks(text: string, rowsPerChunk = REGISTER_CHUNK_ROWS): RegisterChunk[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0]?.trim() ?? '';
  const chunks: RegisterChunk[] = [];
  for (let i = 1; i < lines.length; i += rowsPerChunk) {
    const rows = lines.slice(i, i + rowsPerChunk);
    if (rows.every((r) => !r.trim())) continue;
    chunks.push({ csv: [header, ...rows].join('\n'), firstLine: i + 1, rows: rows.length });
  }
  return chunks;
}

export class FileTooLarge extends Error {}

/**
 * The lines of a stream as it arrives. Iterating the stream itself reads on demand, so an upload
 * faster than the import waits in the socket, not in memory (readline's iterator buffers lines).
 */
async function* linesOf(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) yield line.replace(/\r$/, '');
  }
  rest += decoder.end();
  if (rest) yield rest.replace(/\r$/, '');
}

/** The same chunks as `registerChunks`, read from a stream as it arrives: one chunk in memory at a time. */
export async function* streamedRegisterChunks(
  input: AsyncIterable<Buffer> & { truncated?: boolean },
  rowsPerChunk = REGISTER_CHUNK_ROWS,
): AsyncGenerator<RegisterChunk> {
  let header: string | undefined;
  let rows: string[] = [];
  let line = 0;
  for await (const text of linesOf(input)) {
    line++;
    if (header === undefined) header = text.replace(/^\uFEFF/, '').trim();
    else if (rows.push(text) === rowsPerChunk) {
      yield { csv: [header, ...rows].join('\n'), firstLine: line - rows.length + 1, rows: rows.length };
      rows = [];
    }
  }
  // Cut off at the size limit: its last row may be cut too, so nothing of the rest is sent.
  if (input.truncated) throw new FileTooLarge();
  if (rows.some((r) => r.trim())) yield { csv: [header ?? '', ...rows].join('\n'), firstLine: line - rows.length + 1, rows: rows.length };
}

/** The command id of a file's nth chunk, derived from the form's: a resubmitted form retries each chunk safely. */
export const chunkCommandId = (base: string, n: number) =>
  n === 0 ? base : `${base.slice(0, 24)}${(Number.parseInt(base.slice(24), 16) + n).toString(16).padStart(12, '0').slice(-12)}`;

export const isRegisterHeader = (firstLine: string) =>
  firstLine
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase() === REGISTER_HEADER;
const headerOf = (csv: string) => csv.split('\n', 1)[0];

/** Sends one chunk to the API; the refused rows come back numbered by their line in the whole file. */
export async function sendChunk(
  ctx: PageContext,
  chunk: RegisterChunk,
  commandId: string,
): Promise<{ imported: number; refused: Refused[] } | { refusals: readonly ApiRefusal[] }> {
  const result = await ctx.gql(ADMIN_IMPORT_REGISTER, { commandId, csv: chunk.csv });
  if (!result.ok || !result.data.importRegister) return { refusals: result.ok ? [] : result.errors };
  // The API numbers lines within the chunk (its header is line 1): back to the file's lines.
  const refused = result.data.importRegister.refused.map((r) => ({ line: r.line - 2 + chunk.firstLine, code: r.code, message: r.message }));
  return { imported: result.data.importRegister.imported, refused };
}

/** Imports one chunk for a form: a refusal becomes the form's errors (or its page: the rate limit, a fault). */
async function importChunk(
  ctx: PageContext,
  chunk: RegisterChunk,
  commandId: string,
): Promise<{ imported: number; refused: Refused[] } | { errors: FormErrors }> {
  if (!isRegisterHeader(headerOf(chunk.csv))) return { errors: addError(noErrors(), 'csv', ctx.t('admin.register.errors.header')) };
  const done = await sendChunk(ctx, chunk, commandId);
  if ('refusals' in done) {
    refuseUnlessFormError(done.refusals);
    return { errors: refusalsToErrors(ctx, done.refusals, {}, 'csv') };
  }
  return done;
}

export const commandIdOf = (ctx: PageContext) => {
  const id = one(ctx.body.commandId);
  return /^[0-9a-f-]{36}$/i.test(id) ? id : ctx.commandId();
};

/** Imports a register chunk by chunk (pasted or streamed), and shows what was imported and every refused row. */
export async function importRegister(ctx: PageContext, chunks: Iterable<RegisterChunk> | AsyncIterable<RegisterChunk>, field = 'csv') {
  const base = commandIdOf(ctx);
  const failure = (model: Record<string, unknown>, errors: FormErrors): PageResult => ({
    view: VIEW,
    status: 400,
    model: { ...model, errors: moveTo(errors, field), commandId: base, chunkRows: REGISTER_CHUNK_ROWS },
  });
  let imported = 0;
  let n = 0;
  const refused: Refused[] = [];
  let at = 2;
  try {
    for await (const chunk of chunks) {
      at = chunk.firstLine;
      const done = await importChunk(ctx, chunk, chunkCommandId(base, n++));
      if ('errors' in done) {
        return failure(n === 1 ? {} : { imported, ...refusedModel(ctx, refused), stoppedAtLine: chunk.firstLine }, done.errors);
      }
      imported += done.imported;
      refused.push(...done.refused);
    }
  } catch (err) {
    if (!(err instanceof FileTooLarge)) throw err;
    const errors = addError(noErrors(), field, ctx.t('admin.register.errors.tooLarge'));
    return failure({ imported, ...refusedModel(ctx, refused), stoppedAtLine: at }, errors);
  }
  if (n === 0) return failure({}, addError(noErrors(), field, ctx.t('admin.register.errors.empty')));
  return { view: VIEW, model: { done: true, imported, ...refusedModel(ctx, refused), commandId: ctx.commandId() } };
}

/** The pasted form's messages name the textarea; the file form's name the file field. */
export const moveTo = (errors: FormErrors, field: string): FormErrors =>
  field === 'csv'
    ? errors
    : {
        summary: errors.summary.map((s) => ({ ...s, href: `#${field}` })),
        byField: Object.fromEntries(
          Object.values(errors.byField)
            .slice(0, 1)
            .map((text) => [field, text]),
        ),
      };

export const reasonOf = (ctx: PageContext, r: Refused) => {
  const text = ctx.t(`errors.${r.code}`);
  return text.startsWith('[') || /\{\w+\}/.test(text) ? r.message : text;
};

/** The refused rows in the officer's language, and the report as a CSV download (line, code, reason). */
export function refusedModel(ctx: PageContext, refused: Refused[]) {
  const rows = refused.map((r) => ({ ...r, reason: reasonOf(ctx, r) }));
  return { refused: rows, reportHref: `data:text/csv;charset=utf-8,${encodeURIComponent(refusedRowsCsv(ctx, refused).join(''))}` };
}

/** The report of refused rows, a line at a time: line, code, and the reason in the officer's language. */
export const refusedRowsCsv = (ctx: PageContext, refused: readonly Refused[]): string[] => [
  'line,code,reason',
  ...refused.map((r) => `\n${r.line},${r.code},"${reasonOf(ctx, r).replace(/"/g, '""')}"`),
];

/**
 * The register pasted, and from a file with JavaScript: the page's script reads the file and posts
 * one chunk at a time to `chunk` (without it, the upload is a job: `registerJobRoutes`).
 */
export const registerFileRoutes = (): PageRoute[] => [
  { method: 'POST', url: '/admin/register', access: ADMIN, handle: async (ctx) => importRegister(ctx, registerChunks(one(ctx.body.csv))) },
  {
    method: 'POST',
    url: '/admin/register/chunk',
    access: ADMIN,
    handle: async (ctx) => {
      const n = Number(one(ctx.body.n));
      const firstLine = Number(one(ctx.body.firstLine));
      if (!Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(firstLine) || firstLine < 2)
        return { json: { error: ctx.t('errors.generic') }, status: 400 };
      const csv = one(ctx.body.csv).replace(/^\uFEFF/, '');
      const done = await importChunk(ctx, { csv, firstLine, rows: csv.split('\n').length - 1 }, chunkCommandId(commandIdOf(ctx), n));
      if ('errors' in done) return { json: { error: done.errors.summary[0]?.text ?? ctx.t('errors.generic') }, status: 400 };
      return { json: { imported: done.imported, refused: done.refused.map((r) => ({ ...r, reason: reasonOf(ctx, r) })) } };
    },
  },
];
