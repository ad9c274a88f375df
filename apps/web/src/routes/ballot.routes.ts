import {
  BALLOT_DONE,
  BALLOT_PAGE,
  BALLOT_RULES,
  CAST_BALLOT,
  FUNDS,
  MY_ELIGIBILITY,
  RECEIPT_CHECK,
  REPLACE_BALLOT,
  type FundData,
  type MyBallot,
  type PotData,
  type PotEligibility,
  type ProposalSummary,
} from '../graphql/operations';
import {
  BALLOT_FIELD_OF_CODE,
  type BallotDraft,
  checkBallot,
  contentAsPosted,
  costOf,
  draftOf,
  readBallotDraft,
} from '../forms/ballot-form';
import { type FormErrors, hasErrors, one, refusalsToErrors } from '../forms/errors';
import { dataOr404, PageRefused, type PageContext, type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';
import { ballotWords, RESULTS_PHASES } from './fund-words';
import { normaliseCode, receiptCode } from './receipt-code';
import { kioskVoted } from './kiosk.routes';
import { ballotSeed, eligibilitySentence, numberText, titled } from './resident-words';
import { receiptVerifyModel } from './receipt-verify';

interface BallotPage {
  fund: FundData;
  pot: PotData;
  proposals: ProposalSummary[];
  myBallot: MyBallot | null;
  /** Whether the resident may vote in this pot (read with the page; not on the final post, where the API decides). */
  eligibility: PotEligibility | undefined;
}

async function loadBallotPage(ctx: PageContext, { withMine = true } = {}): Promise<BallotPage> {
  // The resident's own shuffle of the pot, the same on every load, error and review page.
  const variables = { fundId: ctx.params.fundId, potId: ctx.params.potId, seed: ballotSeed(ctx, ctx.params.potId) };
  const data = withMine
    ? dataOr404(await ctx.gql(BALLOT_PAGE, variables))
    : { myBallot: null, myEligibility: [], ...dataOr404(await ctx.gql(BALLOT_RULES, variables)) };
  const pot = data.fund?.pots.find((p) => p.id === ctx.params.potId);
  if (!data.fund || !pot) throw new PageRefused(404);
  return {
    fund: data.fund,
    pot,
    proposals: data.proposals.edges.map((e) => e.node),
    myBallot: data.myBallot,
    eligibility: data.myEligibility.find((e) => e.potId === pot.id),
  };
}

/**
 * The page a resident who may not vote in this pot gets instead of a ballot form: why not, in
 * words (403 for a post, so a forged one is refused with the same words).
 */
function ineligibleView(ctx: PageContext, page: BallotPage, eligibility: PotEligibility, status = 200) {
  return {
    view: 'pages/vote.njk',
    status,
    model: {
      fund: page.fund,
      pot: page.pot,
      ineligible: eligibilitySentence(ctx, page.fund, page.pot, eligibility.eligibility),
      open: page.fund.phase === 'voting_open',
      backLink: '/',
    },
  };
}
const refusedHere = (page: BallotPage) => (page.eligibility && !page.eligibility.eligible ? page.eligibility : undefined);

/** The ballot page and the draft posted to it, checked against the pot's rules. */
async function postedBallot(ctx: PageContext, { withMine = true } = {}) {
  const page = await loadBallotPage(ctx, { withMine });
  const draft = readBallotDraft(ctx.body);
  return { page, draft, ...checkBallot(ctx, page.pot, page.proposals, draft) };
}

const base = (page: { fund: { id: string }; pot: { id: string } }) =>
  `/funds/${encodeURIComponent(page.fund.id)}/pots/${encodeURIComponent(page.pot.id)}/vote`;
const counted = (b: { status: string } | null) => !!b && b.status === 'counted';

/** The ballot form, filled with the draft (kept as typed after an error). */
function ballotView(ctx: PageContext, page: BallotPage, draft: BallotDraft, errors?: FormErrors) {
  const { fund, pot, proposals } = page;
  const chosen = new Set(draft.proposalIds);
  const budget = Number(pot.budget);
  const spent = pot.ballot.kind === 'knapsack' ? proposals.filter((p) => chosen.has(p.id)).reduce((s, p) => s + costOf(p), 0) : 0;
  const pointsUsed = Object.values(draft.points).reduce((s, v) => s + (Number(v) || 0), 0);
  const items = proposals.map((p, i) => ({
    id: p.id,
    index: i + 1,
    title: p.title,
    numberText: numberText(ctx, p.number),
    summary: p.summary,
    cost: costOf(p),
    costText: ctx.f.money(costOf(p)),
    checked: chosen.has(p.id),
    points: draft.points[p.id] ?? '',
    fits: pot.ballot.kind !== 'knapsack' || chosen.has(p.id) || spent + costOf(p) <= budget,
  }));
  return {
    view: 'pages/vote.njk',
    status: errors ? 400 : 200,
    model: {
      fund,
      pot,
      kind: pot.ballot.kind,
      rules: ballotWords(ctx, pot),
      items,
      errors,
      open: fund.phase === 'voting_open',
      replacing: counted(page.myBallot),
      action: base(page),
      budget,
      spent,
      left: budget - spent,
      maxPicks: pot.ballot.maxPicks ?? proposals.length,
      chosenCount: chosen.size,
      pointsTotal: pot.ballot.points ?? 0,
      pointsUsed,
      closesAt: ctx.f.dateTime(fund.schedule.votingClosesAt, fund.timeZone),
      backLink: '/',
    },
  };
}

/** The receipt code of a cast or replaced ballot. */
const receiptOf = (data: { castBallot?: { code?: string | null } | null } | { replaceBallot?: { code?: string | null } | null }) =>
  ('castBallot' in data ? data.castBallot : 'replaceBallot' in data ? data.replaceBallot : null)?.code;

export const ballotRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/funds/:fundId/pots/:potId/vote',
    access: 'resident',
    handle: async (ctx) => {
      const page = await loadBallotPage(ctx);
      const refused = refusedHere(page);
      if (refused) return ineligibleView(ctx, page, refused);
      // "Change your choices" from the review page brings the draft back in the query.
      const fromQuery = readBallotDraft(ctx.query);
      const fromLink = fromQuery.proposalIds.length > 0 || Object.keys(fromQuery.points).length > 0;
      const draft = fromLink ? fromQuery : counted(page.myBallot) ? draftOf(page.myBallot!) : { proposalIds: [], points: {} };
      return ballotView(ctx, page, draft);
    },
  },
  {
    method: 'POST',
    url: '/funds/:fundId/pots/:potId/vote',
    access: 'resident',
    handle: async (ctx) => {
      const { page, draft, errors, content } = await postedBallot(ctx);
      const refused = refusedHere(page);
      if (refused) return ineligibleView(ctx, page, refused, 403);
      if (hasErrors(errors)) return ballotView(ctx, page, draft, errors);
      const commandId = ctx.commandId();
      noteReviewed(ctx, page, content, commandId);
      return reviewView(ctx, page, content, commandId);
    },
  },
  {
    method: 'POST',
    url: '/funds/:fundId/pots/:potId/vote/submit',
    access: 'resident',
    handle: async (ctx) => {
      // The form says whether it casts or replaces: the resident's own ballot need not be read here.
      const commandId = one(ctx.body.commandId) || ctx.commandId();
      const replace = one(ctx.body.action) === 'replace';
      // A confirmation noted for an earlier post goes: the page after this one says what this one did.
      ctx.take('voted');
      // Only a kiosk shows the receipt's code at once; elsewhere the confirmation page reads it.
      const kiosk = ctx.principal?.method === 'kiosk';
      // The ballot as the review form posted it goes straight to the API, which applies the pot's
      // rules itself: one operation per vote. Only a refusal reads the pot, to say what is wrong.
      const asPosted = contentAsPosted(readBallotDraft(ctx.body));
      if (asPosted) {
        // The review this form came from, if this process noted it: the confirmation page is then made from it and the receipt.
        const reviewed = kiosk ? undefined : reviewedFor(ctx, commandId, asPosted);
        const variables = {
          commandId,
          fundId: ctx.params.fundId,
          potId: ctx.params.potId,
          content: asPosted,
          receipt: kiosk || !!reviewed,
        };
        let first = await (replace ? ctx.gql(REPLACE_BALLOT, variables) : ctx.gql(CAST_BALLOT, variables));
        if (!first.ok && first.errors[0]?.code === 'BALLOT.ALREADY_CAST') first = await ctx.gql(REPLACE_BALLOT, variables);
        if (!first.ok && first.errors[0]?.code === 'BALLOT.NOT_FOUND') first = await ctx.gql(CAST_BALLOT, variables);
        if (first.ok && kiosk) return kioskVoted(ctx, receiptOf(first.data));
        const code = first.ok ? receiptOf(first.data) : undefined;
        if (reviewed && code) ctx.keep('voted', { ...reviewed, code } satisfies Voted);
        if (first.ok)
          return { redirect: `/funds/${encodeURIComponent(ctx.params.fundId)}/pots/${encodeURIComponent(ctx.params.potId)}/vote/done` };
        refuseUnlessFormError(first.errors);
      }
      const { page, draft, errors, content } = await postedBallot(ctx, { withMine: false });
      // A forged or stale post is checked again here: nothing reaches the API that the form would refuse.
      if (hasErrors(errors)) return ballotView(ctx, page, draft, errors);
      const variables = { commandId, fundId: page.fund.id, potId: page.pot.id, content, receipt: kiosk };
      let result = await (replace ? ctx.gql(REPLACE_BALLOT, variables) : ctx.gql(CAST_BALLOT, variables));
      if (!result.ok && result.errors[0]?.code === 'BALLOT.ALREADY_CAST') result = await ctx.gql(REPLACE_BALLOT, variables);
      if (!result.ok && result.errors[0]?.code === 'BALLOT.NOT_FOUND') result = await ctx.gql(CAST_BALLOT, variables);
      if (!result.ok && result.errors[0]?.code === 'BALLOT.NOT_ELIGIBLE') {
        // The API says only "not eligible": the resident's own eligibility says why, in words.
        const mine = await ctx.gql(MY_ELIGIBILITY, { fundId: page.fund.id });
        const eligibility = mine.ok ? mine.data.myEligibility.find((e) => e.potId === page.pot.id) : undefined;
        if (eligibility && !eligibility.eligible) return ineligibleView(ctx, page, eligibility, 403);
      }
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return ballotView(
          ctx,
          page,
          draft,
          refusalsToErrors(ctx, result.errors, BALLOT_FIELD_OF_CODE, page.pot.ballot.kind === 'cumulative' ? 'points-1' : 'choices'),
        );
      }
      if (kiosk) return kioskVoted(ctx, receiptOf(result.data));
      return { redirect: `${base(page)}/done` };
    },
  },
  {
    method: 'GET',
    url: '/funds/:fundId/pots/:potId/vote/done',
    access: 'resident',
    handle: async (ctx) => {
      // Straight after the vote, what the post noted: the page needs no operation. Once, then read.
      const voted = ctx.take('voted') as Voted | undefined;
      if (voted && voted.fund.id === ctx.params.fundId && voted.pot.id === ctx.params.potId) return doneView(ctx, voted);
      const { fund, myBallot: ballot } = dataOr404(await ctx.gql(BALLOT_DONE, { fundId: ctx.params.fundId, potId: ctx.params.potId }));
      const pot = fund?.pots.find((p) => p.id === ctx.params.potId);
      if (!fund || !pot) throw new PageRefused(404);
      if (!counted(ballot)) return { redirect: base({ fund, pot }) };
      return doneView(ctx, {
        fund,
        pot,
        code: receiptCode(ballot!.receipt),
        proposalIds: ballot!.proposalIds,
        points: ballot!.points,
        proposals: ballot!.proposals,
      });
    },
  },
  {
    method: 'GET',
    url: '/receipt',
    access: 'public',
    handle: async (ctx) => {
      const typed = typeof ctx.query.code === 'string' ? ctx.query.code.slice(0, 100) : '';
      if (!typed) return { view: 'pages/receipt.njk', model: { typed } };
      const code = normaliseCode(typed);
      if (!code)
        return {
          view: 'pages/receipt.njk',
          status: 400,
          model: {
            typed,
            errors: {
              summary: [{ text: ctx.t('receipt.errors.format'), href: '#code' }],
              byField: { code: ctx.t('receipt.errors.format') },
            },
          },
        };
      // Anyone may check a receipt: the API answers what the embargo lets it tell in the fund's phase.
      const checked = await ctx.gql(RECEIPT_CHECK, { receipt: code });
      if (!checked.ok) {
        if (checked.errors.some((e) => e.code === 'INPUT.INVALID'))
          return {
            view: 'pages/receipt.njk',
            status: 400,
            model: {
              typed,
              errors: {
                summary: [{ text: ctx.t('receipt.errors.format'), href: '#code' }],
                byField: { code: ctx.t('receipt.errors.format') },
              },
            },
          };
        dataOr404(checked);
      }
      const found = checked.ok ? checked.data.receipt : null;
      if (!found) return { view: 'pages/receipt.njk', model: { typed, outcome: 'notFound' } };
      const { funds } = dataOr404(await ctx.gql(FUNDS, {}));
      const fund = funds.find((f) => f.pots.some((p) => p.id === found.standing?.potId));
      const pot = fund?.pots.find((p) => p.id === found.standing?.potId);
      return {
        view: 'pages/receipt.njk',
        model: {
          typed,
          code: found.code,
          outcome: found.standing ? found.standing.status : 'recordedEvent',
          reason: found.standing?.reason ?? undefined,
          pending: found.proofStatus !== 'included',
          fund,
          pot,
          ...(await receiptVerifyModel(ctx, found.code)),
        },
      };
    },
  },
];

/** What the confirmation page shows: the fund's closing time, the pot, the receipt's code and the ballot as cast. */
interface Voted {
  fund: {
    id: string;
    timeZone: string;
    schedule: { votingClosesAt: FundData['schedule']['votingClosesAt'] };
    pots: { id: string; name: string }[];
  };
  pot: { id: string; name: string };
  code: string | undefined;
  proposalIds: readonly string[] | null;
  points: readonly { proposalId: string; points: number }[] | null;
  proposals: readonly { id: string; number: number | null; title: string }[];
}

function doneView(ctx: PageContext, voted: Voted) {
  const { fund, pot, code } = voted;
  const byId = new Map(voted.proposals.map((p) => [p.id, p]));
  const title = (id: string) => {
    const p = byId.get(id);
    return p ? titled(ctx, p) : id;
  };
  return {
    view: 'pages/vote-done.njk',
    model: {
      fund,
      pot,
      code,
      checkHref: code ? `/receipt?code=${encodeURIComponent(code)}` : '/receipt',
      closesAt: ctx.f.dateTime(fund.schedule.votingClosesAt, fund.timeZone),
      choices: (voted.proposalIds ?? []).map(title),
      points: (voted.points ?? []).map((p) => ({ title: title(p.proposalId), points: ctx.f.number(p.points) })),
      voteHref: base({ fund, pot }),
    },
  };
}

/** A review noted in the session: the form it shows, by its command id, and what its confirmation page will need. */
interface Reviewed {
  commandId: string;
  fund: Voted['fund'];
  pot: Voted['pot'];
  proposals: Voted['proposals'];
}

/** Notes the review in the session (in memory), with the proposals it lists: the post that follows needs no read for its confirmation. */
function noteReviewed(ctx: PageContext, page: BallotPage, content: BallotContent, commandId: string) {
  // A kiosk shows the receipt on the post's own answer: nothing to note for the next resident's session.
  if (ctx.principal?.method === 'kiosk') return;
  const { fund, pot } = page;
  const listed = new Set([...(content.proposalIds ?? []), ...(content.points ?? []).map((p) => p.proposalId)]);
  ctx.keep('reviewed', {
    commandId,
    fund: {
      id: fund.id,
      timeZone: fund.timeZone,
      schedule: { votingClosesAt: fund.schedule.votingClosesAt },
      pots: fund.pots.map((p) => ({ id: p.id, name: p.name })),
    },
    pot: { id: pot.id, name: pot.name },
    proposals: page.proposals.filter((p) => listed.has(p.id)).map((p) => ({ id: p.id, number: p.number, title: p.title })),
  } satisfies Reviewed);
}

/**
 * The ballot as posted, with the fund, pot and titles its review noted: only for the form of
 * that review (its command id), in the same fund and pot, every proposal posted among those it
 * listed. The note is used up (a second post of the same form reads its confirmation page).
 */
function reviewedFor(ctx: PageContext, commandId: string, posted: BallotContent): Omit<Voted, 'code'> | undefined {
  const note = ctx.take('reviewed') as Reviewed | undefined;
  if (!note || note.commandId !== commandId || note.fund.id !== ctx.params.fundId || note.pot.id !== ctx.params.potId) return undefined;
  const ids = new Set(note.proposals.map((p) => p.id));
  const cast = [...(posted.proposalIds ?? []), ...(posted.points ?? []).map((p) => p.proposalId)];
  if (!cast.every((id) => ids.has(id))) return undefined;
  return {
    fund: note.fund,
    pot: note.pot,
    proposalIds: posted.proposalIds ?? null,
    points: posted.points ?? null,
    proposals: note.proposals,
  };
}

type BallotContent = { proposalIds?: string[]; points?: { proposalId: string; points: number }[] };

function reviewView(
  ctx: PageContext,
  page: BallotPage,
  content: { proposalIds?: string[]; points?: { proposalId: string; points: number }[] },
  commandId: string,
) {
  const byId = new Map(page.proposals.map((p) => [p.id, p]));
  const rows =
    page.pot.ballot.kind === 'cumulative'
      ? (content.points ?? []).map((p) => ({
          title: titled(ctx, byId.get(p.proposalId)!),
          value: ctx.t('vote.pointsN', { n: ctx.f.number(p.points) }),
        }))
      : (content.proposalIds ?? []).map((id) => ({ title: titled(ctx, byId.get(id)!), value: ctx.f.money(costOf(byId.get(id)!)) }));
  const hidden =
    page.pot.ballot.kind === 'cumulative'
      ? (content.points ?? []).map((p) => ({ name: `points.${p.proposalId}`, value: String(p.points) }))
      : (content.proposalIds ?? []).map((id) => ({ name: 'choice', value: id }));
  const changeHref = `${base(page)}?${hidden.map((h) => `${encodeURIComponent(h.name)}=${encodeURIComponent(h.value)}`).join('&')}`;
  const total =
    page.pot.ballot.kind === 'knapsack'
      ? ctx.f.money((content.proposalIds ?? []).reduce((s, id) => s + costOf(byId.get(id)!), 0))
      : undefined;
  return {
    view: 'pages/vote-review.njk',
    model: {
      fund: page.fund,
      pot: page.pot,
      rows,
      hidden,
      changeHref,
      total,
      commandId,
      action: counted(page.myBallot) ? 'replace' : 'cast',
      submitTo: `${base(page)}/submit`,
      backLink: changeHref,
    },
  };
}
