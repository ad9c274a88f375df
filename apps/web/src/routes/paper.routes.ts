import type { FundData, PotData } from '../graphql/operations';
import { ENTER_PAPER_BATCH, type NumberedProposal } from '../graphql/paper.operations';
import { addError, type FormErrors, hasErrors, noErrors, one } from '../forms/errors';
import { type PageContext, type PageResult, type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';
import { entryOf, fundAndPot, numberedProposals, officerErrors, PAPER_OFFICERS, parseMarks, SHEETS_MAX, TEXT_MAX } from './paper-words';
import { localToIso } from './zoned-time';

/** The batch being entered: its header and the sheets typed so far, carried in the form (no state on the server until it is recorded). */
interface Draft {
  officer: string;
  location: string;
  collectedAt: string;
  scanReference: string;
  sheetsCounted: string;
  sheets: { reference: string; marks: string }[];
}

const HEADER_FIELDS = ['officer', 'location', 'collectedAt', 'scanReference', 'sheetsCounted'] as const;

function draftOf(ctx: PageContext): Draft {
  let sheets: Draft['sheets'] = [];
  try {
    const parsed: unknown = JSON.parse(one(ctx.body.sheets) || '[]');
    if (Array.isArray(parsed))
      sheets = parsed
        .filter((s): s is { reference: string; marks: string } => typeof s?.reference === 'string' && typeof s?.marks === 'string')
        .slice(0, SHEETS_MAX);
  } catch {
    sheets = [];
  }
  const [officer, location, collectedAt, scanReference, sheetsCounted] = HEADER_FIELDS.map((f) => one(ctx.body[f]).trim());
  return { officer, location, collectedAt, scanReference, sheetsCounted, sheets };
}

function headerErrors(ctx: PageContext, fund: FundData, d: Draft): FormErrors {
  let errors = noErrors();
  for (const field of ['officer', 'location', 'scanReference'] as const) {
    if (!d[field]) errors = addError(errors, field, ctx.t(`paper.errors.${field}`));
    else if (d[field].length > TEXT_MAX) errors = addError(errors, field, ctx.t('paper.errors.tooLong', { max: ctx.f.number(TEXT_MAX) }));
  }
  if (!localToIso(d.collectedAt, fund.timeZone)) errors = addError(errors, 'collectedAt', ctx.t('paper.errors.collectedAt'));
  if (!/^\d{1,4}$/.test(d.sheetsCounted) || Number(d.sheetsCounted) < 1 || Number(d.sheetsCounted) > SHEETS_MAX)
    errors = addError(errors, 'sheetsCounted', ctx.t('paper.errors.sheetsCounted', { max: ctx.f.number(SHEETS_MAX) }));
  return errors;
}

interface Step {
  fund: FundData;
  pot: PotData;
  proposals: NumberedProposal[];
}

async function stepOf(ctx: PageContext): Promise<Step> {
  const { fund, pot } = await fundAndPot(ctx, ctx.params.fundId, ctx.params.potId);
  return { fund, pot, proposals: await numberedProposals(ctx, fund.id, pot.id) };
}

function render(
  ctx: PageContext,
  step: Step,
  view: 'header' | 'sheets',
  draft: Draft,
  extra: { errors?: FormErrors; sheet?: { reference: string; marks: string }; added?: boolean } = {},
): PageResult {
  const cumulative = step.pot.ballot.kind === 'cumulative';
  return {
    view: `pages/paper/${view === 'header' ? 'batch-new' : 'sheets'}.njk`,
    status: extra.errors && hasErrors(extra.errors) ? 400 : undefined,
    model: {
      fund: step.fund,
      pot: step.pot,
      cumulative,
      draft,
      sheetsJson: JSON.stringify(draft.sheets),
      sheets: draft.sheets.map((s, i) => ({ ...s, no: ctx.f.number(i + 1), index: i })),
      nextNo: ctx.f.number(draft.sheets.length + 1),
      countedText: /^\d+$/.test(draft.sheetsCounted) ? ctx.f.number(Number(draft.sheetsCounted)) : draft.sheetsCounted,
      whenText: (() => {
        const iso = localToIso(draft.collectedAt, step.fund.timeZone);
        return iso ? ctx.f.dateTime(iso, step.fund.timeZone) : draft.collectedAt;
      })(),
      proposals: step.proposals.map((p) => ({ ...p, numberText: ctx.f.number(p.number!) })),
      sheet: extra.sheet ?? { reference: '', marks: '' },
      added: extra.added,
      errors: extra.errors,
      commandId: one(ctx.body.commandId) || ctx.commandId(),
      timeZone: step.fund.timeZone,
    },
  };
}

const batchNewUrl = '/paper/funds/:fundId/pots/:potId/new';

export const paperRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: batchNewUrl,
    access: PAPER_OFFICERS,
    handle: async (ctx) => {
      const step = await stepOf(ctx);
      // The officer signed in is, most often, the one who collected the forms.
      const officer = ctx.principal?.subject ?? '';
      const draft = { officer, location: '', collectedAt: '', scanReference: '', sheetsCounted: '', sheets: [] };
      return render(ctx, step, 'header', draft);
    },
  },
  {
    // One form for every step, so the whole entry works without JavaScript: the header, each sheet, removing one, recording.
    method: 'POST',
    url: batchNewUrl,
    access: PAPER_OFFICERS,
    handle: async (ctx) => {
      const step = await stepOf(ctx);
      const draft = draftOf(ctx);
      const action = one(ctx.body.action);
      if (action === 'editHeader') return render(ctx, step, 'header', draft);
      const header = headerErrors(ctx, step.fund, draft);
      if (hasErrors(header)) return render(ctx, step, 'header', draft, { errors: header });
      if (action === 'header') return render(ctx, step, 'sheets', draft);
      const cumulative = step.pot.ballot.kind === 'cumulative';
      const removed = /^remove:(\d+)$/.exec(action);
      if (removed) {
        draft.sheets.splice(Number(removed[1]), 1);
        return render(ctx, step, 'sheets', draft);
      }
      if (action === 'add') {
        const sheet = { reference: one(ctx.body.reference).trim(), marks: one(ctx.body.marks).trim() };
        let errors = noErrors();
        if (!sheet.reference) errors = addError(errors, 'reference', ctx.t('paper.errors.reference'));
        else if (sheet.reference.length > TEXT_MAX)
          errors = addError(errors, 'reference', ctx.t('paper.errors.tooLong', { max: ctx.f.number(TEXT_MAX) }));
        if (!parseMarks(sheet.marks, cumulative))
          errors = addError(errors, 'marks', ctx.t(cumulative ? 'paper.errors.points' : 'paper.errors.numbers'));
        if (draft.sheets.length >= SHEETS_MAX)
          errors = addError(errors, 'reference', ctx.t('paper.errors.tooMany', { max: ctx.f.number(SHEETS_MAX) }));
        if (hasErrors(errors)) return render(ctx, step, 'sheets', draft, { errors, sheet });
        draft.sheets.push(sheet);
        return render(ctx, step, 'sheets', draft, { added: true });
      }
      if (action !== 'record') return render(ctx, step, 'sheets', draft);
      if (draft.sheets.length === 0)
        return render(ctx, step, 'sheets', draft, { errors: addError(noErrors(), 'reference', ctx.t('paper.errors.noSheets')) });
      const entries = draft.sheets.map((s) => entryOf(s.reference, s.marks, cumulative));
      // Sheets come back from the browser: one that no longer reads (a forged form) is refused, not dropped.
      if (entries.some((e) => !e || !e.reference || e.reference.length > TEXT_MAX))
        return render(ctx, step, 'sheets', draft, { errors: addError(noErrors(), 'marks', ctx.t('paper.errors.badSheet')) });
      const result = await ctx.gql(ENTER_PAPER_BATCH, {
        commandId: one(ctx.body.commandId) || ctx.commandId(),
        input: {
          fundId: step.fund.id,
          potId: step.pot.id,
          officer: draft.officer,
          location: draft.location,
          collectedAt: localToIso(draft.collectedAt, step.fund.timeZone)!,
          scanReference: draft.scanReference,
          sheetsCounted: Number(draft.sheetsCounted),
          entries: entries.map((e) => e!),
        },
      });
      if (!result.ok || !result.data.enterPaperBatch) {
        const refusals = result.ok ? [] : result.errors;
        refuseUnlessFormError(refusals);
        // A refusal of the batch itself (its header, the phase): shown on the header, the sheets kept.
        const errors = officerErrors(
          ctx,
          step.pot,
          refusals,
          { 'PAPER_BATCH.INVALID': 'collectedAt', 'BALLOT.VOTING_CLOSED': 'collectedAt' },
          'officer',
        );
        return render(ctx, step, 'header', draft, { errors });
      }
      return { redirect: `/paper/batches/${encodeURIComponent(result.data.enterPaperBatch.batchId)}?entered=1` };
    },
  },
];
