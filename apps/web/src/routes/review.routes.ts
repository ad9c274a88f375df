import type { Operation } from '../graphql/operation';
import { FUND as FUNDS_ONE, FUNDS, type FundData } from '../graphql/operations';
import {
  ACCEPT_PROPOSAL,
  MERGE_PROPOSALS,
  PAPER_BATCHES,
  REJECT_PROPOSAL,
  REVIEW_PROPOSAL,
  REVIEW_QUEUE,
  type ReviewProposal,
  TALLY_PAGE,
} from '../graphql/review.operations';
import { addError, type FormErrors, hasErrors, noErrors, one, refusalsToErrors } from '../forms/errors';
import { parseMoney } from '../forms/money';
import type { StaffRole } from '../setup/page-guard';
import { dataOr404, PageRefused, type PageContext, type PageResult, type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';
import { sortPots } from './fund-words';
import { canEnterPaper } from './paper-words';

/** Who reviews proposals: the API lets reviewers and councillors accept, reject and merge. */
const REVIEWERS: { readonly staff: readonly StaffRole[] } = { staff: ['reviewer', 'councillor'] };
/** Who reads live tallies: staff, as the embargo policy shows them before results are published. */
const TALLY_READERS: { readonly staff: readonly StaffRole[] } = { staff: ['reviewer', 'councillor', 'administrator', 'auditor'] };

/** The reasons a reviewer picks from (catalogue keys); "other" takes a written reason. */
export const REJECT_REASONS = ['duplicate', 'outsideRemit', 'overBudget', 'notFeasible', 'alreadyPlanned'] as const;
const REASON_MAX = 500;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** "12 · Community garden": a proposal by its number (when it has one) and title, never by id. */
export const numbered = (ctx: PageContext, p: { number: number | null; title: string }) =>
  p.number === null ? p.title : ctx.t('review.numbered', { number: ctx.f.number(p.number), title: p.title });

const potOf = (fund: FundData, potId: string) => {
  const pot = fund.pots.find((p) => p.id === potId);
  if (!pot) throw new PageRefused(404);
  return pot;
};

async function queueView(
  ctx: PageContext,
  fundId: string,
  potId: string,
  extra: { errors?: FormErrors; forms?: Record<string, Record<string, string>>; status?: number } = {},
): Promise<PageResult> {
  const { fund, proposals } = dataOr404(await ctx.gql(REVIEW_QUEUE, { fundId, potId }));
  if (!fund) throw new PageRefused(404);
  const pot = potOf(fund, potId);
  const all = proposals.edges.map((e) => e.node);
  const byId = new Map(all.map((p) => [p.id, p]));
  const forms = extra.forms ?? {};
  const row = (p: ReviewProposal) => ({
    ...p,
    label: numbered(ctx, p),
    estimated: ctx.f.money(p.estimatedCost),
    official: p.officialCost === null ? '' : ctx.f.money(p.officialCost),
    statusName: ctx.t(`status.${p.status}`),
    mergedIntoLabel: p.mergedInto && byId.has(p.mergedInto) ? numbered(ctx, byId.get(p.mergedInto)!) : '',
    form: forms[p.id] ?? { officialCost: (Number(p.estimatedCost) / 100).toFixed(2).replace(/\.00$/, ''), reason: '', otherReason: '' },
    others: all
      .filter((o) => o.id !== p.id && (o.status === 'submitted' || o.status === 'accepted'))
      .map((o) => ({ value: o.id, text: numbered(ctx, o) })),
  });
  const awaiting = all.filter((p) => p.status === 'submitted').map(row);
  const decided = all.filter((p) => p.status !== 'submitted').map(row);
  return {
    view: 'pages/review/queue.njk',
    status: extra.status,
    model: {
      fund,
      pot,
      awaiting,
      decided,
      reviewing: fund.phase === 'review',
      reasons: REJECT_REASONS.map((r) => ({ value: r, text: ctx.t(`review.reasons.${r}`) })),
      errors: extra.errors,
      commandId: ctx.commandId(),
      done: str(ctx.query.done),
    },
  };
}

/** The proposal a form names, refused (404) unless it is of the pot in the page's address: a forged id of another pot stores nothing. */
async function proposalOfPot(ctx: PageContext, id: string, fundId: string, potId: string): Promise<ReviewProposal> {
  const { proposal } = dataOr404(await ctx.gql(REVIEW_PROPOSAL, { id }));
  if (!proposal || proposal.potId !== potId) throw new PageRefused(404);
  const { fund } = dataOr404(await ctx.gql(FUNDS_ONE, { id: fundId }));
  if (!fund || !fund.pots.some((p) => p.id === potId)) throw new PageRefused(404);
  return proposal;
}

/** Funds once voting has opened: those with ballots, tallies and paper batches. */
const VOTED = (f: FundData) => !['draft', 'proposals_open', 'review'].includes(f.phase);

/** The page that picks a fund and one of its pots, each pot linking to `/<link>/funds/…/pots/…`. */
async function fundPicker(
  ctx: PageContext,
  heading: string,
  link: string,
  keep: (f: FundData) => boolean = () => true,
): Promise<PageResult> {
  const { funds } = dataOr404(await ctx.gql(FUNDS, {}));
  return {
    view: 'pages/review/funds.njk',
    model: {
      heading,
      funds: funds.filter(keep).map((f) => ({ ...f, pots: sortPots(f.pots), phaseName: ctx.t(`review.phase.${f.phase}`) })),
      link,
    },
  };
}

/** A voting-phase staff task's first page (its menu entry): pick the fund and the pot. */
const votingPicker = (area: 'tally' | 'paper', heading: string): PageRoute => ({
  method: 'GET',
  url: `/${area}`,
  access: TALLY_READERS,
  menu: { label: `review.menu.${area}`, hint: `review.menu.${area}Hint`, group: 'voting' },
  handle: async (ctx) => fundPicker(ctx, heading, area, VOTED),
});

/** A pot page's data, for the fund and pot in its address (404 when either is unknown). */
async function potPage<D extends { fund: FundData | null }>(ctx: PageContext, op: Operation<D, { fundId: string; potId: string }>) {
  const { fundId, potId } = ctx.params;
  const data = dataOr404(await ctx.gql(op, { fundId, potId }));
  if (!data.fund) throw new PageRefused(404);
  return { ...data, fund: data.fund, pot: potOf(data.fund, potId) };
}

const queueUrl = (fundId: string, potId: string, done = '') =>
  `/review/funds/${encodeURIComponent(fundId)}/pots/${encodeURIComponent(potId)}${done ? `?done=${done}` : ''}`;

export const reviewRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/review',
    access: REVIEWERS,
    menu: { label: 'review.menu.queue', hint: 'review.menu.queueHint', group: 'review' },
    handle: async (ctx) => fundPicker(ctx, 'review.funds.heading', 'review'),
  },
  {
    method: 'GET',
    url: '/review/funds/:fundId/pots/:potId',
    access: REVIEWERS,
    handle: async (ctx) => queueView(ctx, ctx.params.fundId, ctx.params.potId),
  },
  {
    method: 'POST',
    url: '/review/funds/:fundId/pots/:potId/proposals/:id/accept',
    access: REVIEWERS,
    handle: async (ctx) => {
      const { fundId, potId, id } = ctx.params;
      await proposalOfPot(ctx, id, fundId, potId);
      const typed = one(ctx.body.officialCost);
      const form = { officialCost: typed, reason: '', otherReason: '' };
      const field = `officialCost-${id}`;
      const pence = parseMoney(typed);
      if (pence === undefined || pence <= 0) {
        const errors = addError(noErrors(), field, ctx.t(typed.trim() ? 'review.errors.costInvalid' : 'review.errors.costMissing'));
        return queueView(ctx, fundId, potId, { errors, forms: { [id]: form }, status: 400 });
      }
      const result = await ctx.gql(ACCEPT_PROPOSAL, {
        commandId: one(ctx.body.commandId) || ctx.commandId(),
        proposalId: id,
        officialCost: String(pence),
      });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return queueView(ctx, fundId, potId, {
          errors: refusalsToErrors(ctx, result.errors, {}, field),
          forms: { [id]: form },
          status: 400,
        });
      }
      return { redirect: queueUrl(fundId, potId, 'accepted') };
    },
  },
  {
    method: 'POST',
    url: '/review/funds/:fundId/pots/:potId/proposals/:id/reject',
    access: REVIEWERS,
    handle: async (ctx) => {
      const { fundId, potId, id } = ctx.params;
      await proposalOfPot(ctx, id, fundId, potId);
      const choice = one(ctx.body.reason);
      const otherReason = one(ctx.body.otherReason).trim();
      const form = { officialCost: '', reason: choice, otherReason };
      let errors = noErrors();
      let reason = '';
      if ((REJECT_REASONS as readonly string[]).includes(choice)) reason = ctx.t(`review.reasons.${choice}`);
      else if (choice === 'other') {
        if (!otherReason) errors = addError(errors, `otherReason-${id}`, ctx.t('review.errors.reasonMissing'));
        else if (otherReason.length > REASON_MAX)
          errors = addError(errors, `otherReason-${id}`, ctx.t('review.errors.reasonTooLong', { max: ctx.f.number(REASON_MAX) }));
        reason = otherReason;
      } else errors = addError(errors, `reason-${id}`, ctx.t('review.errors.reasonChoose'));
      if (hasErrors(errors)) return queueView(ctx, fundId, potId, { errors, forms: { [id]: form }, status: 400 });
      const result = await ctx.gql(REJECT_PROPOSAL, { commandId: one(ctx.body.commandId) || ctx.commandId(), proposalId: id, reason });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return queueView(ctx, fundId, potId, {
          errors: refusalsToErrors(ctx, result.errors, {}, `reason-${id}`),
          forms: { [id]: form },
          status: 400,
        });
      }
      return { redirect: queueUrl(fundId, potId, 'rejected') };
    },
  },
  {
    // Both proposals side by side, and the choice of which one carries on, before anything is written.
    method: 'GET',
    url: '/review/funds/:fundId/pots/:potId/merge',
    access: REVIEWERS,
    handle: async (ctx) => mergeView(ctx, str(ctx.query.a), str(ctx.query.b), str(ctx.query.survivor)),
  },
  {
    method: 'POST',
    url: '/review/funds/:fundId/pots/:potId/merge',
    access: REVIEWERS,
    handle: async (ctx) => {
      const { fundId, potId } = ctx.params;
      const a = one(ctx.body.a);
      const b = one(ctx.body.b);
      const survivor = one(ctx.body.survivor);
      if (survivor !== a && survivor !== b) {
        return mergeView(ctx, a, b, '', addError(noErrors(), 'survivor', ctx.t('review.errors.survivorChoose')), 400);
      }
      await Promise.all([proposalOfPot(ctx, a, fundId, potId), proposalOfPot(ctx, b, fundId, potId)]);
      const duplicate = survivor === a ? b : a;
      const result = await ctx.gql(MERGE_PROPOSALS, {
        commandId: one(ctx.body.commandId) || ctx.commandId(),
        survivorId: survivor,
        duplicateIds: [duplicate],
      });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return mergeView(ctx, a, b, survivor, refusalsToErrors(ctx, result.errors, {}, 'survivor'), 400);
      }
      return { redirect: queueUrl(fundId, potId, 'merged') };
    },
  },
  votingPicker('tally', 'review.tallyFunds.heading'),
  {
    method: 'GET',
    url: '/tally/funds/:fundId/pots/:potId',
    access: TALLY_READERS,
    handle: async (ctx) => {
      const { fund, pot, tally, turnout, proposals } = await potPage(ctx, TALLY_PAGE);
      const cumulative = pot.ballot.kind === 'cumulative';
      const count = new Map(tally.lines.map((l) => [l.proposalId, cumulative ? l.points : l.supporters]));
      const rows = proposals.edges.map((e) => ({ ...e.node, label: numbered(ctx, e.node), value: count.get(e.node.id) ?? 0 }));
      const max = Math.max(1, ...rows.map((r) => r.value));
      const pct = (n: number, of: number) => (of > 0 ? ctx.f.number(Math.round((n / of) * 1000) / 10) : ctx.f.number(0));
      return {
        view: 'pages/review/tally.njk',
        model: {
          fund,
          pot,
          cumulative,
          tally: { ...tally, ballotsText: ctx.f.number(tally.ballots), paperText: ctx.f.number(tally.paperBallots) },
          rows: rows.map((r) => ({ ...r, valueText: ctx.f.number(r.value), width: Math.round((r.value / max) * 100) })),
          turnout: sortPots(fund.pots).map((p) => {
            const t = turnout.find((x) => x.potId === p.id);
            return {
              potId: p.id,
              registeredCount: t?.registered ?? 0,
              name: p.name,
              ward: p.ward ?? ctx.t('review.tally.boroughWide'),
              online: ctx.f.number(t?.online ?? 0),
              paper: ctx.f.number(t?.paper ?? 0),
              assisted: ctx.f.number(t?.assisted ?? 0),
              ballots: ctx.f.number(t?.ballots ?? 0),
              registered: ctx.f.number(t?.registered ?? 0),
              share: pct(t?.ballots ?? 0, t?.registered ?? 0),
            };
          }),
        },
      };
    },
  },
  votingPicker('paper', 'review.paperFunds.heading'),
  {
    // Every paper batch of a pot with its reconciliation: forms entered, ballots recorded, forms refused.
    method: 'GET',
    url: '/paper/funds/:fundId/pots/:potId',
    access: TALLY_READERS,
    handle: async (ctx) => {
      const { fund, pot, paperBatches } = await potPage(ctx, PAPER_BATCHES);
      const n = (v: number) => ctx.f.number(v);
      return {
        view: 'pages/review/paper-batches.njk',
        model: {
          fund,
          pot,
          batches: paperBatches.map((b) => ({
            ...b,
            when: ctx.f.dateTime(b.collectedAt, fund.timeZone),
            entered: n(b.entryCount),
            recordedText: n(b.recorded),
            refusedText: n(b.refused),
            correctionsText: n(b.corrections),
            countedText: b.sheetsCounted === null ? '' : n(b.sheetsCounted),
            discrepancy: b.refused > 0 || (b.sheetsCounted !== null && b.sheetsCounted !== b.entryCount),
            statusName: ctx.t(
              b.refused > 0 || (b.sheetsCounted !== null && b.sheetsCounted !== b.entryCount)
                ? 'review.paper.discrepancy'
                : 'review.paper.reconciled',
            ),
          })),
          canEnter: canEnterPaper(ctx),
        },
      };
    },
  },
];

async function mergeView(
  ctx: PageContext,
  a: string,
  b: string,
  survivor: string,
  errors?: FormErrors,
  status?: number,
): Promise<PageResult> {
  const { fundId, potId } = ctx.params;
  if (!a || !b || a === b) throw new PageRefused(404);
  const [pa, pb] = await Promise.all([proposalOfPot(ctx, a, fundId, potId), proposalOfPot(ctx, b, fundId, potId)]);
  const { fund } = dataOr404(await ctx.gql(FUNDS_ONE, { id: fundId }));
  if (!fund) throw new PageRefused(404);
  const side = (p: ReviewProposal) => ({
    ...p,
    label: numbered(ctx, p),
    estimated: ctx.f.money(p.estimatedCost),
    official: p.officialCost === null ? '' : ctx.f.money(p.officialCost),
    statusName: ctx.t(`status.${p.status}`),
  });
  return {
    view: 'pages/review/merge.njk',
    status,
    model: { fund, pot: potOf(fund, potId), a: side(pa), b: side(pb), survivor, errors, commandId: ctx.commandId() },
  };
}
