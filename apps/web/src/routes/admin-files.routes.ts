import {
  ADMIN_IMPORT_PABULIB,
  BALLOT_FORM,
  POLL_CARD_LETTERS,
  POLL_CARDS_CSV,
  type PrintableDocument,
} from '../graphql/admin-files.operations';
import { ADMIN_FUND, type AdminFund } from '../graphql/admin.operations';
import { FUNDS } from '../graphql/operations';
import type { ApiRefusal } from '../graphql/operation';
import { addError, type FormErrors, noErrors, one, refusalsToErrors } from '../forms/errors';
import { uploadOf } from '../setup/multipart';
import type { StaffRole } from '../setup/page-guard';
import { dataOr404, type PageContext, type PageResult, PageRefused, type PageRoute, refuseUnlessFormError } from '../web-app';
import { sortPots } from './fund-words';

const ADMIN = { staff: ['administrator'] } as const;
/** Who prints paper ballot forms: the API gives them to reviewers, councillors and administrators. */
const PRINTERS: { readonly staff: readonly StaffRole[] } = { staff: ['reviewer', 'councillor', 'administrator'] };
/** A pabulib file is sent to the API whole, as one request: more than this it refuses anyway. */
const PABULIB_MAX_BYTES = 50 * 1024 * 1024;

/** Which part of a pabulib file a fund takes now: its projects in review, its votes while voting is open. */
const partFor = (phase: AdminFund['phase']) => (phase === 'review' ? 'projects' : phase === 'voting_open' ? 'ballots' : undefined);

async function fundAndPot(ctx: PageContext) {
  const fund = dataOr404(await ctx.gql(ADMIN_FUND, { id: ctx.params.fundId })).fund;
  const pot = fund?.pots.find((p) => p.id === ctx.params.potId);
  if (!fund || !pot) throw new PageRefused(404);
  return { fund, pot };
}

const commandIdOf = (ctx: PageContext) => {
  const id = one(ctx.body.commandId);
  return /^[0-9a-f-]{36}$/i.test(id) ? id : ctx.commandId();
};

/** The whole text of an uploaded file, or why not (none chosen, too large). */
async function fileText(ctx: PageContext): Promise<string | 'none' | 'tooLarge'> {
  const upload = uploadOf(ctx.req);
  if (!upload || !upload.filename) {
    upload?.file.resume();
    return 'none';
  }
  const parts: Buffer[] = [];
  let bytes = 0;
  for await (const part of upload.file as AsyncIterable<Buffer>) {
    bytes += part.length;
    if (bytes <= PABULIB_MAX_BYTES) parts.push(part);
  }
  if (bytes > PABULIB_MAX_BYTES || upload.file.truncated) return 'tooLarge';
  return Buffer.concat(parts).toString('utf8');
}

/** Values of a refusal that name amounts of money, in pence: said as pounds. */
const MONEY_VALUES = new Set(['fileBudget', 'potBudget']);

/**
 * What is wrong in a file, said in the officer's language from the refusal's stable problem code
 * and its values (numbers through Intl, amounts as money), from the catalogue under `prefix`.
 * Every code the API has is in the catalogues (a test walks them); a refusal without one is said
 * in the API's own words.
 */
function problemText(ctx: PageContext, refusal: ApiRefusal, prefix: 'problems' | 'mismatches'): string {
  const { problem, line: _line, rule, ...values } = refusal.params ?? {};
  if (typeof problem !== 'string') return /line \d+: (.*)$/s.exec(refusal.message)?.[1] ?? refusal.message;
  const formatted: Record<string, string | number> = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, MONEY_VALUES.has(k) ? ctx.f.money(v) : typeof v === 'number' ? ctx.f.number(v) : v]),
  );
  if (typeof values.ballotKind === 'string') formatted.ballotKind = ctx.t(`admin.pot.kinds.${values.ballotKind}`);
  // A vote the pot's rules refuse: the rule it breaks, in the same words the catalogue has for it.
  if (typeof rule === 'string') formatted.reason = ctx.t(`staffFiles.pabulib.rules.${rule}`, formatted);
  return ctx.t(`staffFiles.pabulib.${prefix}.${problem}`, formatted);
}

/** The API's refusal of a file in the officer's language: the line and what is wrong there, or why it does not fit the pot. */
function importErrors(ctx: PageContext, refusals: readonly ApiRefusal[]): FormErrors {
  const first = refusals[0];
  if (first?.code === 'IMPORT.MALFORMED') {
    const line = first.params?.line ?? /line (\d+): /.exec(first.message)?.[1];
    const reason = problemText(ctx, first, 'problems');
    const text =
      line !== undefined
        ? ctx.t('staffFiles.pabulib.errors.malformedAt', { line: ctx.f.number(Number(line)), reason })
        : ctx.t('staffFiles.pabulib.errors.malformed', { reason });
    return addError(noErrors(), 'file', text);
  }
  if (first?.code === 'IMPORT.MISMATCH')
    return addError(noErrors(), 'file', ctx.t('staffFiles.pabulib.errors.mismatch', { reason: problemText(ctx, first, 'mismatches') }));
  return refusalsToErrors(ctx, refusals, {}, 'file');
}

async function importPabulib(ctx: PageContext): Promise<PageResult> {
  const { fund, pot } = await fundAndPot(ctx);
  const part = partFor(fund.phase);
  const view = 'pages/admin/pabulib.njk';
  const failure = (errors: FormErrors): PageResult => ({
    view,
    status: 400,
    model: { fund, pot, part, errors, commandId: commandIdOf(ctx) },
  });
  const file = await fileText(ctx);
  if (file === 'none') return failure(addError(noErrors(), 'file', ctx.t('staffFiles.pabulib.errors.noFile')));
  if (file === 'tooLarge') return failure(addError(noErrors(), 'file', ctx.t('staffFiles.pabulib.errors.tooLarge')));
  if (!part) return failure(addError(noErrors(), 'file', ctx.t('staffFiles.pabulib.errors.phase')));
  const result = await ctx.gql(ADMIN_IMPORT_PABULIB, { commandId: commandIdOf(ctx), fundId: fund.id, potId: pot.id, file, part });
  if (!result.ok) {
    refuseUnlessFormError(result.errors);
    return failure(importErrors(ctx, result.errors));
  }
  // No data and no error: the API refused the request's size before reading it (its body limit).
  if (!result.data?.importPabulib) return failure(addError(noErrors(), 'file', ctx.t('staffFiles.pabulib.errors.tooLarge')));
  return { view: 'pages/admin/pabulib-done.njk', model: { fund, pot, part, result: result.data.importPabulib } };
}

const pdf = (doc: PrintableDocument): PageResult => ({
  download: {
    filename: doc.filename,
    contentType: doc.contentType,
    body: (async function* () {
      yield Buffer.from(doc.base64, 'base64');
    })(),
  },
});

/** Poll cards for a fund (a CSV for a mailing house, or printed letters), after a confirmation naming what is recorded. */
async function pollCards(ctx: PageContext): Promise<PageResult> {
  const fundId = ctx.params.fundId;
  const format = one(ctx.body.format);
  if (one(ctx.body.confirm) !== 'yes' || (format !== 'csv' && format !== 'pdf')) {
    return documentsPage(ctx, addError(noErrors(), `confirm-${fundId}`, ctx.t('staffFiles.documents.errors.confirm')));
  }
  const result = format === 'csv' ? await ctx.gql(POLL_CARDS_CSV, { fundId }) : await ctx.gql(POLL_CARD_LETTERS, { fundId });
  if (!result.ok) {
    refuseUnlessFormError(result.errors);
    const forbidden = result.errors[0]?.code === 'AUTH.FORBIDDEN';
    const errors = forbidden
      ? addError(noErrors(), `confirm-${fundId}`, ctx.t('staffFiles.documents.errors.permission'))
      : refusalsToErrors(ctx, result.errors, {}, `confirm-${fundId}`);
    return documentsPage(ctx, errors);
  }
  const data = result.data as {
    generatePollCards?: { csv: string } | null;
    generatePollCardLetters?: { document: PrintableDocument } | null;
  };
  if (data.generatePollCards) {
    const csv = data.generatePollCards.csv;
    return {
      download: {
        filename: `poll-cards-${fundId}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: (async function* () {
          yield csv;
        })(),
      },
    };
  }
  if (data.generatePollCardLetters) return pdf(data.generatePollCardLetters.document);
  throw new PageRefused(404);
}

async function documentsPage(ctx: PageContext, errors?: FormErrors): Promise<PageResult> {
  const { funds } = dataOr404(await ctx.gql(FUNDS, {}));
  return {
    view: 'pages/admin/documents.njk',
    status: errors ? 400 : 200,
    model: {
      funds: funds.map((f) => ({ ...f, pots: sortPots(f.pots) })),
      administrator: ctx.principal?.role === 'administrator',
      errors,
    },
  };
}

export const adminFileRoutes = (): PageRoute[] => [
  {
    method: 'GET',
    url: '/admin/funds/:fundId/pots/:potId/import',
    access: ADMIN,
    handle: async (ctx) => {
      const { fund, pot } = await fundAndPot(ctx);
      return { view: 'pages/admin/pabulib.njk', model: { fund, pot, part: partFor(fund.phase), commandId: ctx.commandId() } };
    },
  },
  { method: 'POST', url: '/admin/funds/:fundId/pots/:potId/import', access: ADMIN, handle: importPabulib },
  {
    method: 'GET',
    url: '/documents',
    access: PRINTERS,
    menu: { label: 'staffFiles.menu.documents', hint: 'staffFiles.menu.documentsHint', group: 'voting' },
    handle: (ctx) => documentsPage(ctx),
  },
  {
    method: 'GET',
    url: '/documents/pots/:potId/ballot-form',
    access: PRINTERS,
    handle: async (ctx) => pdf(dataOr404(await ctx.gql(BALLOT_FORM, { potId: ctx.params.potId })).ballotForm),
  },
  { method: 'POST', url: '/documents/funds/:fundId/poll-cards', access: ADMIN, handle: pollCards },
];
