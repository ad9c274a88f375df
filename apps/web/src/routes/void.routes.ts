import { FUNDS, type FundData, type PotData } from '../graphql/operations';
import { BALLOT_BY_RECEIPT, VOID_BALLOT } from '../graphql/paper.operations';
import { addError, type FormErrors, hasErrors, noErrors, one } from '../forms/errors';
import { dataOr404, PageRefused, type PageContext, type PageResult, type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';
import { sortPots } from './fund-words';
import { fundAndPot, officerErrors, PAPER_OFFICERS, REASON_MAX, TEXT_MAX } from './paper-words';

/** Ballots can be voided while voting is open and once it has closed, until results are published. */
const VOIDABLE = (f: FundData) => f.phase === 'voting_open' || f.phase === 'voting_closed';

interface Found {
  by: 'receipt' | 'reference';
  receipt: string;
  reference: string;
  fund: FundData;
  pot: PotData;
  recordedAt?: string;
  standing?: string;
}

async function findPage(ctx: PageContext, form: Record<string, string> = {}, errors?: FormErrors): Promise<PageResult> {
  const { funds } = dataOr404(await ctx.gql(FUNDS, {}));
  const pots = funds
    .filter(VOIDABLE)
    .flatMap((f) =>
      sortPots(f.pots).map((p) => ({ value: `${f.id}/${p.id}`, text: `${f.name}: ${p.name}`, selected: form.pot === `${f.id}/${p.id}` })),
    );
  return { view: 'pages/void/find.njk', status: errors ? 400 : undefined, model: { form, pots, errors } };
}

function confirmPage(ctx: PageContext, found: Found, form: { reason: string } = { reason: '' }, errors?: FormErrors): PageResult {
  return {
    view: 'pages/void/confirm.njk',
    status: errors ? 400 : undefined,
    model: {
      ...found,
      when: found.recordedAt ? ctx.f.dateTime(found.recordedAt, found.fund.timeZone) : '',
      standingName: found.standing ? ctx.t(`paper.void.standing.${found.standing}`) : '',
      form,
      errors,
      commandId: one(ctx.body.commandId) || ctx.commandId(),
    },
  };
}

/** The ballot the posted form names: by receipt, found through the API (its fund and pot come from the receipt), or by reference in the chosen pot. */
async function foundOf(ctx: PageContext): Promise<{ found?: Found; errors?: FormErrors; form: Record<string, string> }> {
  const by = one(ctx.body.by);
  const form = { by, receipt: one(ctx.body.receipt).trim(), reference: one(ctx.body.reference).trim(), pot: one(ctx.body.pot) };
  if (by === 'receipt') {
    if (!form.receipt) return { form, errors: addError(noErrors(), 'receipt', ctx.t('paper.void.errors.receipt')) };
    if (form.receipt.length > 200) return { form, errors: addError(noErrors(), 'receipt', ctx.t('paper.void.errors.receiptInvalid')) };
    const result = await ctx.gql(BALLOT_BY_RECEIPT, { receipt: form.receipt });
    if (!result.ok) {
      refuseUnlessFormError(result.errors);
      return { form, errors: addError(noErrors(), 'receipt', ctx.t('paper.void.errors.receiptInvalid')) };
    }
    const ballot = result.data.ballotByReceipt;
    if (!ballot) return { form, errors: addError(noErrors(), 'receipt', ctx.t('paper.void.errors.receiptUnknown')) };
    const { fund, pot } = await fundAndPot(ctx, ballot.fundId, ballot.potId);
    return {
      form,
      found: { by, receipt: form.receipt, reference: '', fund, pot, recordedAt: ballot.recordedAt, standing: ballot.standing },
    };
  }
  if (by === 'reference') {
    let errors = noErrors();
    if (!form.reference) errors = addError(errors, 'reference', ctx.t('paper.errors.reference'));
    else if (form.reference.length > TEXT_MAX)
      errors = addError(errors, 'reference', ctx.t('paper.errors.tooLong', { max: ctx.f.number(TEXT_MAX) }));
    const [fundId, potId] = form.pot.split('/');
    if (!fundId || !potId) errors = addError(errors, 'pot', ctx.t('paper.void.errors.pot'));
    if (hasErrors(errors)) return { form, errors };
    const { fund, pot } = await fundAndPot(ctx, fundId, potId);
    return { form, found: { by, receipt: '', reference: form.reference, fund, pot } };
  }
  return { form, errors: addError(noErrors(), 'by', ctx.t('paper.void.errors.by')) };
}

export const voidRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/void',
    access: PAPER_OFFICERS,
    menu: { label: 'paper.menu.void', hint: 'paper.menu.voidHint', group: 'voting' },
    handle: async (ctx) => findPage(ctx, { by: 'receipt' }),
  },
  {
    // Finds the ballot and says what voiding it will do; nothing is written yet.
    method: 'POST',
    url: '/void',
    access: PAPER_OFFICERS,
    handle: async (ctx) => {
      const { found, errors, form } = await foundOf(ctx);
      if (!found) return findPage(ctx, form, errors);
      return confirmPage(ctx, found);
    },
  },
  {
    method: 'POST',
    url: '/void/confirm',
    access: PAPER_OFFICERS,
    handle: async (ctx) => {
      const { found, errors: findErrors, form } = await foundOf(ctx);
      if (!found) return findPage(ctx, form, findErrors);
      const reason = one(ctx.body.reason).trim();
      let errors = noErrors();
      if (!reason) errors = addError(errors, 'reason', ctx.t('paper.errors.reason'));
      else if (reason.length > REASON_MAX)
        errors = addError(errors, 'reason', ctx.t('paper.errors.tooLong', { max: ctx.f.number(REASON_MAX) }));
      if (hasErrors(errors)) return confirmPage(ctx, found, { reason }, errors);
      const result = await ctx.gql(VOID_BALLOT, {
        commandId: one(ctx.body.commandId) || ctx.commandId(),
        fundId: found.fund.id,
        potId: found.pot.id,
        reason,
        ...(found.by === 'receipt' ? { receipt: found.receipt } : { reference: found.reference }),
      });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return confirmPage(
          ctx,
          found,
          { reason },
          officerErrors(ctx, found.pot, result.errors, { 'COMMAND.INVALID': 'reason' }, 'confirm'),
        );
      }
      return { redirect: `/void/done?fund=${encodeURIComponent(found.fund.id)}&pot=${encodeURIComponent(found.pot.id)}` };
    },
  },
  {
    method: 'GET',
    url: '/void/done',
    access: PAPER_OFFICERS,
    handle: async (ctx) => {
      const fundId = typeof ctx.query.fund === 'string' ? ctx.query.fund : '';
      const potId = typeof ctx.query.pot === 'string' ? ctx.query.pot : '';
      if (!fundId || !potId) throw new PageRefused(404);
      const { fund, pot } = await fundAndPot(ctx, fundId, potId);
      return { view: 'pages/void/done.njk', model: { fund, pot } };
    },
  },
];
