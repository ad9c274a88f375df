import type { BallotContent, PotData, ProposalSummary } from '../graphql/operations';
import type { FormBody, PageContext } from '../web-app';
import { addError, type FormErrors, many, noErrors } from './errors';
import { asciiDigits } from './money';

/** A ballot as the form holds it: the proposals ticked, or the points typed per proposal (as typed). */
export interface BallotDraft {
  readonly proposalIds: string[];
  readonly points: Record<string, string>;
}

export const POINTS_PREFIX = 'points.';

/** What a proposal costs on a ballot: the council's official estimate once accepted. */
export const costOf = (p: ProposalSummary): number => Number(p.officialCost ?? p.estimatedCost);

/** The draft a form (or the "change your choices" link) posts: nothing but names and values. */
export function readBallotDraft(values: FormBody): BallotDraft {
  const points: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith(POINTS_PREFIX)) points[key.slice(POINTS_PREFIX.length)] = many(value)[0] ?? '';
  }
  return { proposalIds: many(values.choice), points };
}

/** The draft of a ballot already cast (to change it). */
export const draftOf = (ballot: {
  proposalIds: string[] | null;
  points: { proposalId: string; points: number }[] | null;
}): BallotDraft => ({
  proposalIds: ballot.proposalIds ?? [],
  points: Object.fromEntries((ballot.points ?? []).map((p) => [p.proposalId, String(p.points)])),
});

/**
 * The same rules the API applies, checked first so that the resident is told which choice is
 * wrong and keeps the others: choices only of this pot, each once; approval between the least
 * and most picks; knapsack within the budget (naming the choice that went over); cumulative
 * whole points, at most the pot's. The API checks again: a forged post gets its refusal.
 */
export function checkBallot(
  ctx: PageContext,
  pot: PotData,
  proposals: readonly ProposalSummary[],
  draft: BallotDraft,
): { errors: FormErrors; content: BallotContent } {
  const errors = noErrors();
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const kind = pot.ballot.kind;
  if (kind === 'cumulative') {
    const points: { proposalId: string; points: number }[] = [];
    let total = 0;
    for (const [id, typed] of Object.entries(draft.points)) {
      const text = asciiDigits(typed).trim();
      if (text === '' || text === '0') continue;
      const index = proposals.findIndex((p) => p.id === id);
      if (index < 0) {
        addError(errors, 'points-1', ctx.t('errors.BALLOT.OTHER_POT'));
        continue;
      }
      const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) {
        addError(errors, `points-${index + 1}`, ctx.t('vote.errors.pointsWhole', { title: proposals[index].title }));
        continue;
      }
      total += n;
      points.push({ proposalId: id, points: n });
    }
    const allowed = pot.ballot.points ?? 0;
    if (!errors.summary.length && total === 0) addError(errors, 'points-1', ctx.t('vote.errors.pointsNone'));
    if (total > allowed)
      addError(errors, 'points-1', ctx.t('errors.BALLOT.TOO_MANY_POINTS', { points: ctx.f.number(allowed), total: ctx.f.number(total) }));
    return { errors, content: { points } };
  }
  const ids = draft.proposalIds;
  if (ids.some((id) => !byId.has(id))) addError(errors, 'choices', ctx.t('errors.BALLOT.OTHER_POT'));
  if (new Set(ids).size !== ids.length) addError(errors, 'choices', ctx.t('errors.BALLOT.DUPLICATE_PICK'));
  const chosen = ids.filter((id) => byId.has(id));
  if (kind === 'approval') {
    const min = pot.ballot.minPicks ?? 1;
    const max = pot.ballot.maxPicks ?? proposals.length;
    if (chosen.length < min) addError(errors, 'choices', ctx.t('errors.BALLOT.TOO_FEW_PICKS', { min: ctx.f.number(min) }));
    if (chosen.length > max)
      addError(errors, 'choices', ctx.t('errors.BALLOT.TOO_MANY_PICKS', { max: ctx.f.number(max), count: ctx.f.number(chosen.length) }));
  } else {
    if (chosen.length === 0) addError(errors, 'choices', ctx.t('vote.errors.chooseOne'));
    const budget = Number(pot.budget);
    let spent = 0;
    // In the page's order: the first choice that takes the total over the budget is the one named.
    for (const p of proposals.filter((p) => chosen.includes(p.id))) {
      spent += costOf(p);
      if (spent > budget) {
        const index = proposals.indexOf(p);
        addError(
          errors,
          index === 0 ? 'choices' : `choices-${index + 1}`,
          ctx.t('errors.BALLOT.OVER_BUDGET_CHOICE', { title: p.title, over: ctx.f.money(spent - budget), budget: ctx.f.money(budget) }),
        );
        break;
      }
    }
  }
  return { errors, content: { proposalIds: chosen } };
}

/** Which field of the ballot form shows each of the API's refusals. */
export const BALLOT_FIELD_OF_CODE: Readonly<Record<string, string>> = {};

/**
 * The content of a reviewed ballot as posted, without reading the pot: the review form posts
 * either ticks or points, never both. Undefined for anything a review form would not post (both,
 * neither, points that are not whole numbers above zero): those go through the full check.
 */
export function contentAsPosted(draft: BallotDraft): BallotContent | undefined {
  const typed = Object.entries(draft.points);
  if (typed.length > 0 === draft.proposalIds.length > 0) return undefined;
  if (draft.proposalIds.length > 0) return { proposalIds: draft.proposalIds };
  const points = typed.map(([proposalId, text]) => ({ proposalId, text: asciiDigits(text).trim() }));
  if (points.some((p) => !/^[1-9]\d{0,5}$/.test(p.text))) return undefined;
  return { points: points.map((p) => ({ proposalId: p.proposalId, points: Number(p.text) })) };
}
