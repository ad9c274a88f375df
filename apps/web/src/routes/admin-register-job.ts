import { addError, noErrors, refusalsToErrors } from '../forms/errors';
import { uploadOf } from '../setup/multipart';
import { type PageContext, type PageResult, type PageRoute, SignInAgain } from '../web-app';
import {
  chunkCommandId,
  commandIdOf,
  isRegisterHeader,
  moveTo,
  reasonOf,
  REGISTER_CHUNK_ROWS,
  refusedRowsCsv,
  sendChunk,
  streamedRegisterChunks,
} from './admin-register';
import { type RegisterJob, RegisterJobs } from './register-jobs';

const ADMIN = { staff: ['administrator'] } as const;
/** How often the job's page reloads itself without JavaScript (with it, the page's script asks every 2 s). */
export const JOB_REFRESH_SECONDS = 10;
/** The refused rows the page lists (the report has all of them). */
const LISTED = 200;

/**
 * The file as it arrived, held in memory until it is imported (never written to disk: it holds
 * personal data), and its rows counted from its line breaks. Undefined when it passed the limit.
 */
async function received(file: AsyncIterable<Buffer> & { truncated?: boolean }) {
  const parts: Buffer[] = [];
  let lineBreaks = 0;
  let bytes = 0;
  for await (const part of file) {
    parts.push(part);
    bytes += part.length;
    for (let i = part.indexOf(10); i !== -1; i = part.indexOf(10, i + 1)) lineBreaks++;
  }
  if (file.truncated) return undefined;
  const firstLine = Buffer.concat(parts.slice(0, 4)).toString('utf8').split('\n', 1)[0] ?? '';
  const lastPart = parts[parts.length - 1];
  const endsWithBreak = lastPart !== undefined && lastPart[lastPart.length - 1] === 10;
  return { parts, bytes, firstLine, rows: Math.max(0, lineBreaks + (endsWithBreak ? 0 : 1) - 1) };
}

/** Each part once, let go of as soon as it is read: the file is not held after the import has read it. */
async function* drain(parts: Buffer[]): AsyncGenerator<Buffer> {
  while (parts.length) yield parts.shift()!;
}

/** Imports the file a chunk at a time into the job, after the upload's page has answered. */
async function run(jobs: RegisterJobs, job: RegisterJob, ctx: PageContext, parts: Buffer[]): Promise<void> {
  let n = 0;
  let line = 2;
  try {
    for await (const chunk of streamedRegisterChunks(drain(parts))) {
      line = chunk.firstLine;
      const done = await sendChunk(ctx, chunk, chunkCommandId(job.commandId, n++));
      if ('refusals' in done) return jobs.finish(job, { line, refusals: done.refusals });
      job.imported += done.imported;
      for (const r of done.refused) job.refused.push(r);
      job.rowsRead += chunk.rows;
    }
    jobs.finish(job);
  } catch (err) {
    // The officer's session ended (the import runs with their token) or this server failed: the rows before stay recorded.
    const code = err instanceof SignInAgain ? 'AUTH.UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR';
    jobs.finish(job, { line, refusals: [{ code, message: err instanceof Error ? err.message : String(err) }] });
  }
}

/** Only the officer who started a job or another administrator sees it (the route's access says administrators). */
const jobOf = (jobs: RegisterJobs, ctx: PageContext) => {
  const job = jobs.get(ctx.params.id ?? '');
  return job && (job.startedBy === ctx.principal?.subject || ctx.principal?.role === 'administrator') ? job : undefined;
};

function jobPage(ctx: PageContext, job: RegisterJob | undefined): PageResult {
  if (!job) return { view: 'pages/admin/register-job.njk', status: 404, model: { unknown: true } };
  const refreshing = job.state === 'running' && ctx.query.refresh !== 'off';
  const signedOut = job.stopped?.refusals[0]?.code === 'AUTH.UNAUTHENTICATED';
  const stopped =
    job.stopped &&
    (signedOut ? ctx.t('admin.register.job.signedOut') : refusalsToErrors(ctx, job.stopped.refusals, {}, 'file').summary[0]?.text);
  return {
    view: 'pages/admin/register-job.njk',
    model: {
      job: { id: job.id, state: job.state, rowsRead: job.rowsRead, expectedRows: job.expectedRows, imported: job.imported },
      refusedCount: job.refused.length,
      refused: job.refused.slice(0, LISTED).map((r) => ({ line: r.line, reason: reasonOf(ctx, r) })),
      stoppedAtLine: job.stopped?.line,
      stopped,
      refreshSeconds: refreshing ? JOB_REFRESH_SECONDS : undefined,
      refreshOff: job.state === 'running' && !refreshing,
      chunkRows: REGISTER_CHUNK_ROWS,
    },
  };
}

const startFailure = (ctx: PageContext, key: string): PageResult => ({
  view: 'pages/admin/register.njk',
  status: 400,
  model: { errors: moveTo(addError(noErrors(), 'file', ctx.t(key)), 'file'), commandId: commandIdOf(ctx), chunkRows: REGISTER_CHUNK_ROWS },
});

/**
 * The register uploaded whole, without JavaScript: once the file has arrived the page answers at
 * once with the job's page (`/admin/register/jobs/<id>`), which reloads itself until the import,
 * going on on the server, has finished, then shows the result and offers the refused rows as CSV.
 */
export const registerJobRoutes = (): PageRoute[] => {
  const jobs = new RegisterJobs();
  return [
    {
      method: 'POST',
      url: '/admin/register/file',
      access: ADMIN,
      handle: async (ctx) => {
        const upload = uploadOf(ctx.req);
        if (!upload || !upload.filename) {
          upload?.file.resume();
          return startFailure(ctx, 'admin.register.errors.noFile');
        }
        const file = await received(upload.file);
        if (!file) return startFailure(ctx, 'admin.register.errors.tooLarge');
        if (!isRegisterHeader(file.firstLine)) return startFailure(ctx, 'admin.register.errors.header');
        if (file.rows === 0) return startFailure(ctx, 'admin.register.errors.empty');
        const startedBy = ctx.principal?.subject ?? '';
        const commandId = commandIdOf(ctx);
        // The same form sent again while its import runs joins it: one job per upload.
        const running = jobs.running(startedBy, commandId);
        if (running) return { redirect: `/admin/register/jobs/${running.id}` };
        const job = jobs.start(startedBy, commandId, file.rows);
        void run(jobs, job, ctx, file.parts);
        return { redirect: `/admin/register/jobs/${job.id}` };
      },
    },
    { method: 'GET', url: '/admin/register/jobs/:id', access: ADMIN, handle: async (ctx) => jobPage(ctx, jobOf(jobs, ctx)) },
    {
      method: 'GET',
      url: '/admin/register/jobs/:id/progress',
      access: ADMIN,
      handle: async (ctx) => {
        const job = jobOf(jobs, ctx);
        if (!job) return { json: { state: 'unknown' }, status: 404 };
        const text = ctx.t('admin.register.job.progress', {
          read: ctx.f.number(job.rowsRead),
          total: ctx.f.number(job.expectedRows),
          refused: ctx.f.number(job.refused.length),
        });
        return { json: { state: job.state, rowsRead: job.rowsRead, expectedRows: job.expectedRows, text } };
      },
    },
    {
      method: 'GET',
      url: '/admin/register/jobs/:id/refused.csv',
      access: ADMIN,
      handle: async (ctx) => {
        const job = jobOf(jobs, ctx);
        if (!job) return jobPage(ctx, undefined);
        const rows = job.refused.slice();
        return {
          download: {
            filename: 'refused-rows.csv',
            contentType: 'text/csv; charset=utf-8',
            body: (async function* () {
              // A thousand rows a piece: a long report is sent as it is made, not built whole.
              for (let i = 0; i < Math.max(1, rows.length); i += 1000)
                yield refusedRowsCsv(ctx, rows.slice(i, i + 1000))
                  .slice(i ? 1 : 0)
                  .join('');
              yield '\n';
            })(),
          },
        };
      },
    },
  ];
};
