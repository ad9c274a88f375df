import { CORRECT_PAPER_BALLOT, CORRECT_PAPER_BATCH, PAPER_BATCH, type PaperBatchData } from '../graphql/paper.operations';
import { addError, type FormErrors, hasErrors, noErrors, one, refusalsToErrors } from '../forms/errors';
import { dataOr404, PageRefused, type PageContext, type PageResult, type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';
import {
  canEnterPaper,
  fundAndPot,
  numberedProposals,
  officerErrors,
  PAPER_OFFICERS,
  PAPER_READERS,
  parseMarks,
  REASON_MAX,
  refusalWords,
  SHEETS_MAX,
  TEXT_MAX,
} from './paper-words';
import { isoToLocal, localToIso } from './zoned-time';

async function batchOf(ctx: PageContext) {
  const { paperBatch } = dataOr404(await ctx.gql(PAPER_BATCH, { batchId: ctx.params.batchId }));
  if (!paperBatch) throw new PageRefused(404);
  return { batch: paperBatch, ...(await fundAndPot(ctx, paperBatch.fundId, paperBatch.potId)) };
}

const batchUrl = (b: PaperBatchData, done = '') => `/paper/batches/${encodeURIComponent(b.batchId)}${done ? `?done=${done}` : ''}`;

/** Sheets counted against entered, accepted and refused, and what to do about a difference. */
function reconciliation(ctx: PageContext, b: PaperBatchData) {
  const accepted = b.entries.filter((e) => e.status !== 'refused').length;
  const refused = b.entries.filter((e) => e.status === 'refused').length;
  const n = ctx.f.number;
  const counted = b.sheetsCounted;
  const notes: string[] = [];
  if (counted !== null && counted > b.entryCount) notes.push(ctx.t('paper.batch.fewer', { count: n(counted - b.entryCount) }));
  if (counted !== null && counted < b.entryCount) notes.push(ctx.t('paper.batch.more', { count: n(b.entryCount - counted) }));
  if (refused > 0) notes.push(ctx.t('paper.batch.refusedNote', { count: n(refused) }));
  return {
    counted: counted === null ? ctx.t('paper.batch.notCounted') : n(counted),
    entered: n(b.entryCount),
    accepted: n(accepted),
    refused: n(refused),
    notes,
    reconciled: notes.length === 0,
  };
}

async function headerForm(ctx: PageContext, form?: Record<string, string>, errors?: FormErrors): Promise<PageResult> {
  const { batch, fund, pot } = await batchOf(ctx);
  return {
    view: 'pages/paper/batch-correct.njk',
    status: errors ? 400 : undefined,
    model: {
      batch,
      fund,
      pot,
      timeZone: fund.timeZone,
      form: form ?? {
        officer: batch.officer,
        location: batch.location,
        collectedAt: isoToLocal(batch.collectedAt, fund.timeZone),
        scanReference: batch.scanReference,
        sheetsCounted: batch.sheetsCounted === null ? '' : String(batch.sheetsCounted),
        reason: '',
      },
      errors,
      commandId: one(ctx.body.commandId) || ctx.commandId(),
    },
  };
}

/**
 * The form correcting one sheet. After the API refused it, the form carries a new command id: a
 * refused sheet's correction answered is done with (sending the same one again takes nothing up).
 */
async function entryForm(ctx: PageContext, form?: Record<string, string>, errors?: FormErrors, refusedByApi = false): Promise<PageResult> {
  const { batch, fund, pot } = await batchOf(ctx);
  const entryNo = Number(ctx.params.entryNo);
  const entry = batch.entries.find((e) => e.entryNo === entryNo);
  if (!entry) throw new PageRefused(404);
  const proposals = await numberedProposals(ctx, fund.id, pot.id);
  // A refused sheet recorded no ballot: correcting it records one, and the page says why it was refused.
  const refused = entry.status === 'refused';
  return {
    view: 'pages/paper/entry-correct.njk',
    status: errors ? 400 : undefined,
    model: {
      batch,
      fund,
      pot,
      entryNo,
      entryNoText: ctx.f.number(entryNo),
      cumulative: pot.ballot.kind === 'cumulative',
      proposals: proposals.map((p) => ({ ...p, numberText: ctx.f.number(p.number!) })),
      form: form ?? { reference: '', marks: '', reason: '' },
      refused,
      refusedWhy: refused ? refusalWords(ctx, pot, entry.code, entry.message) : '',
      errors,
      commandId: (!refusedByApi && one(ctx.body.commandId)) || ctx.commandId(),
    },
  };
}

export const paperBatchRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/paper/batches/:batchId',
    access: PAPER_READERS,
    handle: async (ctx) => {
      const { batch, fund, pot } = await batchOf(ctx);
      return {
        view: 'pages/paper/batch.njk',
        model: {
          batch,
          fund,
          pot,
          when: ctx.f.dateTime(batch.collectedAt, fund.timeZone),
          correctionsText: ctx.f.number(batch.corrections),
          sums: reconciliation(ctx, batch),
          entries: batch.entries.map((e) => ({
            ...e,
            no: ctx.f.number(e.entryNo),
            statusName: ctx.t(`paper.entry.${e.status}`),
            why: e.status === 'refused' ? refusalWords(ctx, pot, e.code, e.message) : (e.correctionReason ?? ''),
          })),
          canEnter: canEnterPaper(ctx),
          entered: ctx.query.entered === '1',
          done: typeof ctx.query.done === 'string' ? ctx.query.done : '',
          listUrl: `/paper/funds/${encodeURIComponent(fund.id)}/pots/${encodeURIComponent(pot.id)}`,
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/paper/batches/:batchId/correct',
    access: PAPER_OFFICERS,
    handle: async (ctx) => headerForm(ctx),
  },
  {
    method: 'POST',
    url: '/paper/batches/:batchId/correct',
    access: PAPER_OFFICERS,
    handle: async (ctx) => {
      const { batch, fund } = await batchOf(ctx);
      const form = Object.fromEntries(
        ['officer', 'location', 'collectedAt', 'scanReference', 'sheetsCounted', 'reason'].map((f) => [f, one(ctx.body[f]).trim()]),
      );
      let errors = noErrors();
      const corrections: Record<string, string | number> = {};
      for (const field of ['officer', 'location', 'scanReference'] as const) {
        if (!form[field]) errors = addError(errors, field, ctx.t(`paper.errors.${field}`));
        else if (form[field].length > TEXT_MAX)
          errors = addError(errors, field, ctx.t('paper.errors.tooLong', { max: ctx.f.number(TEXT_MAX) }));
        else if (form[field] !== batch[field]) corrections[field] = form[field];
      }
      const at = localToIso(form.collectedAt, fund.timeZone);
      if (!at) errors = addError(errors, 'collectedAt', ctx.t('paper.errors.collectedAt'));
      // Compared to the minute, as the field shows it: an unchanged field corrects nothing.
      else if (form.collectedAt !== isoToLocal(batch.collectedAt, fund.timeZone)) corrections.collectedAt = at;
      const counted = Number(form.sheetsCounted);
      if (!/^\d{1,4}$/.test(form.sheetsCounted) || counted < 1 || counted > SHEETS_MAX)
        errors = addError(errors, 'sheetsCounted', ctx.t('paper.errors.sheetsCounted', { max: ctx.f.number(SHEETS_MAX) }));
      else if (counted !== batch.sheetsCounted) corrections.sheetsCounted = counted;
      if (!form.reason) errors = addError(errors, 'reason', ctx.t('paper.errors.reason'));
      else if (form.reason.length > REASON_MAX)
        errors = addError(errors, 'reason', ctx.t('paper.errors.tooLong', { max: ctx.f.number(REASON_MAX) }));
      if (!hasErrors(errors) && Object.keys(corrections).length === 0)
        errors = addError(errors, 'officer', ctx.t('paper.errors.nothingChanged'));
      if (hasErrors(errors)) return headerForm(ctx, form, errors);
      const result = await ctx.gql(CORRECT_PAPER_BATCH, {
        commandId: one(ctx.body.commandId) || ctx.commandId(),
        batchId: batch.batchId,
        expectedRevision: Number(one(ctx.body.revision)) || batch.revision,
        reason: form.reason,
        corrections,
      });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return headerForm(ctx, form, refusalsToErrors(ctx, result.errors, { 'EDIT.STALE_REVISION': 'officer' }, 'reason'));
      }
      return { redirect: batchUrl(batch, 'header') };
    },
  },
  {
    method: 'GET',
    url: '/paper/batches/:batchId/entries/:entryNo/correct',
    access: PAPER_OFFICERS,
    handle: async (ctx) => entryForm(ctx),
  },
  {
    method: 'POST',
    url: '/paper/batches/:batchId/entries/:entryNo/correct',
    access: PAPER_OFFICERS,
    handle: async (ctx) => {
      const { batch, fund, pot } = await batchOf(ctx);
      const form = { reference: one(ctx.body.reference).trim(), marks: one(ctx.body.marks).trim(), reason: one(ctx.body.reason).trim() };
      const cumulative = pot.ballot.kind === 'cumulative';
      let errors = noErrors();
      if (!form.reference) errors = addError(errors, 'reference', ctx.t('paper.errors.reference'));
      else if (form.reference.length > TEXT_MAX)
        errors = addError(errors, 'reference', ctx.t('paper.errors.tooLong', { max: ctx.f.number(TEXT_MAX) }));
      const marks = parseMarks(form.marks, cumulative);
      // A correction names proposals by id: the numbers are read here, against the pot's accepted proposals.
      const byNumber = new Map((await numberedProposals(ctx, fund.id, pot.id)).map((p) => [p.number, p.id]));
      const numbers = !marks ? [] : 'numbers' in marks ? marks.numbers : marks.points.map((p) => p.number);
      const unknown = numbers.find((n) => !byNumber.has(n));
      if (!marks) errors = addError(errors, 'marks', ctx.t(cumulative ? 'paper.errors.points' : 'paper.errors.numbers'));
      else if (unknown !== undefined)
        errors = addError(errors, 'marks', ctx.t('paper.refusal.BALLOT.UNKNOWN_NUMBER', { number: ctx.f.number(unknown) }));
      if (!form.reason) errors = addError(errors, 'reason', ctx.t('paper.errors.reason'));
      else if (form.reason.length > REASON_MAX)
        errors = addError(errors, 'reason', ctx.t('paper.errors.tooLong', { max: ctx.f.number(REASON_MAX) }));
      if (hasErrors(errors) || !marks) return entryForm(ctx, form, errors);
      const content =
        'numbers' in marks
          ? { proposalIds: marks.numbers.map((n) => byNumber.get(n)!) }
          : { points: marks.points.map((p) => ({ proposalId: byNumber.get(p.number)!, points: p.points })) };
      const result = await ctx.gql(CORRECT_PAPER_BALLOT, {
        commandId: one(ctx.body.commandId) || ctx.commandId(),
        batchId: batch.batchId,
        entryNo: Number(ctx.params.entryNo),
        reference: form.reference,
        reason: form.reason,
        content,
      });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        const fields = {
          'RESIDENT.NOT_FOUND': 'reference',
          'RESIDENT.INVALID_REFERENCE': 'reference',
          'BALLOT.NOT_FROM_BATCH': 'reference',
          'BALLOT.NOT_FOUND': 'reference',
          'BALLOT.ALREADY_CAST': 'reference',
          'BALLOT.NOT_ELIGIBLE': 'reference',
          'COMMAND.INVALID': 'reason',
        };
        return entryForm(ctx, form, officerErrors(ctx, pot, result.errors, fields, 'marks'), true);
      }
      return { redirect: batchUrl(batch, 'entry') };
    },
  },
];
