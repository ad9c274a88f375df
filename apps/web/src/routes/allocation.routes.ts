import { FUND, FUNDS, PROPOSALS, type FundData } from '../graphql/operations';
import { COUNCIL_COMPUTE, COUNCIL_DRAFT, COUNCIL_OVERRIDE, COUNCIL_PUBLISH, COUNCIL_RATIFY } from '../graphql/council.operations';
import type { Operation } from '../graphql/operation';
import { addError, noErrors, one, refusalsToErrors } from '../forms/errors';
import type { StaffRole } from '../setup/page-guard';
import { dataOr404, PageRefused, refuseUnlessFormError, type PageContext, type PageRoute, type WebApp } from '../web-app';
import { lineInWords, proposalName } from './council-words';

/** Who reads a draft allocation (the API's embargo: councillors, the administrator, the auditor). */
const READERS: { staff: StaffRole[] } = { staff: ['councillor', 'administrator', 'auditor'] };
/** The API's roles: the administrator computes; councillors override, ratify and publish. */
const COMPUTERS: { staff: StaffRole[] } = { staff: ['administrator'] };
const COUNCILLORS: { staff: StaffRole[] } = { staff: ['councillor'] };
const AFTER_VOTING = new Set(['voting_closed', 'results_published', 'delivery', 'closed']);

const base = (fundId: string, potId: string) => `/staff/allocation/${encodeURIComponent(fundId)}/${encodeURIComponent(potId)}`;

async function fundAndPot(ctx: PageContext) {
  const { fund } = dataOr404(await ctx.gql(FUND, { id: ctx.params.fundId }));
  const pot = fund?.pots.find((p) => p.id === ctx.params.potId);
  if (!fund || !pot) throw new PageRefused(404);
  return { fund, pot };
}

/** The draft of a pot in words: each line by title and number, in pounds, with why. */
async function draftModel(ctx: PageContext) {
  const { fund, pot } = await fundAndPot(ctx);
  const [draft, list] = await Promise.all([
    ctx.gql(COUNCIL_DRAFT, { potId: pot.id }),
    ctx.gql(PROPOSALS, { fundId: fund.id, potId: pot.id }),
  ]);
  const allocation = dataOr404(draft).draftAllocation;
  const costs = new Map(dataOr404(list).proposals.edges.map((e) => [e.node.id, Number(e.node.officialCost ?? e.node.estimatedCost)]));
  // In the order the rule walked them (its rank), then by proposal number.
  const order = (l: (typeof allocation.lines)[number]) => l.explanation?.greedy?.rank ?? Number.MAX_SAFE_INTEGER;
  const sorted = [...allocation.lines].sort((a, b) => order(a) - order(b) || (a.number ?? 0) - (b.number ?? 0));
  const lines = sorted.map((l) => ({
    ...l,
    name: proposalName(ctx, l),
    amountText: ctx.f.money(l.amount),
    costText: ctx.f.money(costs.get(l.proposalId) ?? Number(l.amount)),
    why: lineInWords(ctx, l, costs.get(l.proposalId) ?? Number(l.amount)),
  }));
  const role = ctx.principal?.role;
  return {
    fund,
    pot,
    allocation,
    lines,
    base: base(fund.id, pot.id),
    budget: ctx.f.money(allocation.budget ?? pot.budget),
    total: ctx.f.money(allocation.totalCost ?? 0),
    ballots: ctx.f.number(allocation.ballotCount ?? 0),
    ruleName: ctx.t(`rule.${pot.rule}`),
    statusName: ctx.t(`councilPages.status.${allocation.status}`),
    canCompute:
      role === 'administrator' && (allocation.status === 'none' || allocation.status === 'recorded') && fund.phase === 'voting_closed',
    canOverride: role === 'councillor' && allocation.status === 'recorded',
    canRatify: role === 'councillor' && allocation.status === 'recorded',
    canPublish: role === 'councillor' && allocation.status === 'ratified',
    backLink: '/staff/allocation',
  };
}

type Step = 'compute' | 'ratify' | 'publish';
const STEP_OPS: Record<Step, Operation<unknown, { commandId?: string | null; fundId: string; potId: string }>> = {
  compute: COUNCIL_COMPUTE,
  ratify: COUNCIL_RATIFY,
  publish: COUNCIL_PUBLISH,
};

/** A confirmation page for one step, and its form post: what it will do, what can no longer change after. */
function stepRoutes(step: Step, access: { staff: StaffRole[] }): PageRoute[] {
  const view = async (ctx: PageContext, status = 200, errors = noErrors()) => {
    const model = await draftModel(ctx);
    return {
      view: 'pages/council/allocation-step.njk',
      status,
      model: { ...model, step, errors, commandId: ctx.commandId(), backLink: model.base },
    };
  };
  return [
    { method: 'GET', url: `/staff/allocation/:fundId/:potId/${step}`, access, handle: (ctx) => view(ctx) },
    {
      method: 'POST',
      url: `/staff/allocation/:fundId/:potId/${step}`,
      access,
      handle: async (ctx) => {
        const { fund, pot } = await fundAndPot(ctx);
        if (one(ctx.body.confirm) !== 'yes')
          return view(ctx, 400, addError(noErrors(), 'confirm', ctx.t('councilPages.step.confirmRequired')));
        const result = await ctx.gql(STEP_OPS[step], {
          commandId: one(ctx.body.commandId) || ctx.commandId(),
          fundId: fund.id,
          potId: pot.id,
        });
        if (!result.ok) {
          refuseUnlessFormError(result.errors);
          return view(ctx, 400, refusalsToErrors(ctx, result.errors, {}, 'confirm'));
        }
        return { redirect: `${base(fund.id, pot.id)}?done=${step}` };
      },
    },
  ];
}

export const allocationRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/staff/allocation',
    access: READERS,
    menu: { label: 'councilPages.menu.allocation', hint: 'councilPages.menu.allocationHint', group: 'results' },
    handle: async (ctx) => {
      const { funds } = dataOr404(await ctx.gql(FUNDS, {}));
      const closed = funds.filter((f: FundData) => AFTER_VOTING.has(f.phase));
      return {
        view: 'pages/council/allocation-funds.njk',
        model: { funds: closed.map((f) => ({ ...f, phaseName: ctx.t(`phase.${f.phase}`) })), backLink: '/staff' },
      };
    },
  },
  {
    method: 'GET',
    url: '/staff/allocation/:fundId/:potId',
    access: READERS,
    handle: async (ctx) => ({
      view: 'pages/council/allocation.njk',
      model: {
        ...(await draftModel(ctx)),
        done: ['compute', 'override', 'ratify', 'publish'].includes(one(ctx.query.done)) ? one(ctx.query.done) : '',
      },
    }),
  },
  ...stepRoutes('compute', COMPUTERS),
  ...stepRoutes('ratify', COUNCILLORS),
  ...stepRoutes('publish', COUNCILLORS),
  {
    method: 'GET',
    url: '/staff/allocation/:fundId/:potId/override/:proposalId',
    access: COUNCILLORS,
    handle: (ctx) => overrideView(ctx, { reason: '' }),
  },
  {
    method: 'POST',
    url: '/staff/allocation/:fundId/:potId/override/:proposalId',
    access: COUNCILLORS,
    handle: async (ctx) => {
      const reason = one(ctx.body.reason).trim();
      if (!reason) return overrideView(ctx, { reason }, 400, addError(noErrors(), 'reason', ctx.t('councilPages.override.reasonRequired')));
      if (reason.length > 2000)
        return overrideView(ctx, { reason }, 400, addError(noErrors(), 'reason', ctx.t('councilPages.override.reasonTooLong')));
      const { fund, pot } = await fundAndPot(ctx);
      const { allocation } = await draftModel(ctx);
      const line = allocation.lines.find((l) => l.proposalId === ctx.params.proposalId);
      if (!line) throw new PageRefused(404);
      // The new decision is the opposite of the line as read now: a forged "funded" field is not read.
      const result = await ctx.gql(COUNCIL_OVERRIDE, {
        commandId: one(ctx.body.commandId) || ctx.commandId(),
        fundId: fund.id,
        potId: pot.id,
        proposalId: line.proposalId,
        funded: !line.funded,
        reason,
      });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return overrideView(ctx, { reason }, 400, refusalsToErrors(ctx, result.errors, {}, 'reason'));
      }
      return { redirect: `${base(fund.id, pot.id)}?done=override` };
    },
  },
];

async function overrideView(ctx: PageContext, form: { reason: string }, status = 200, errors = noErrors()) {
  const model = await draftModel(ctx);
  const line = model.lines.find((l) => l.proposalId === ctx.params.proposalId);
  if (!line) throw new PageRefused(404);
  return {
    view: 'pages/council/allocation-override.njk',
    status,
    model: { ...model, line, form, errors, commandId: ctx.commandId(), backLink: model.base },
  };
}
