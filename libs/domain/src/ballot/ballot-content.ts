import { reject, sumPence, unreachable, type Pence } from '../common';
import type { BallotType } from '../fund/pot';

/** What a voter marks. The kind must match the pot's ballot type. */
export type BallotContent =
  | { readonly kind: 'approval'; readonly proposalIds: readonly string[] }
  | { readonly kind: 'knapsack'; readonly proposalIds: readonly string[] }
  | { readonly kind: 'cumulative'; readonly points: readonly { readonly proposalId: string; readonly points: number }[] };

/** An accepted proposal of the pot, with the official cost a knapsack ballot is checked against. */
export interface AcceptedProposal {
  readonly proposalId: string;
  readonly officialCost: Pence;
}

/** The proposals a ballot names, in its order. */
export const pickedProposalIds = (content: BallotContent): readonly string[] =>
  content.kind === 'cumulative' ? content.points.map((p) => p.proposalId) : content.proposalIds;

/**
 * Checks a ballot against its pot's ballot type, budget and accepted proposals, and returns
 * it rebuilt from its known fields (nothing else a transport sent reaches an event). Online
 * and paper ballots go through this one function, so they obey the same rules.
 */
export const validateBallotContent = (
  content: BallotContent,
  ballot: BallotType,
  budget: Pence,
  accepted: readonly AcceptedProposal[],
): BallotContent => {
  if (content?.kind !== ballot.kind) return reject('BALLOT.WRONG_BALLOT_TYPE', `This pot takes ${ballot.kind} ballots.`);
  const picks = pickedProposalIds(content);
  if (!Array.isArray(picks) || picks.some((id) => typeof id !== 'string'))
    return reject('BALLOT.WRONG_BALLOT_TYPE', 'The ballot is malformed.');
  if (new Set(picks).size !== picks.length) reject('BALLOT.DUPLICATE_PICK', 'A proposal may appear only once on a ballot.');
  const costs = picks.map(
    (id) =>
      accepted.find((a) => a.proposalId === id)?.officialCost ??
      reject('PROPOSAL.NOT_ACCEPTED', 'A ballot may name only accepted proposals of its pot.'),
  );
  switch (ballot.kind) {
    case 'approval':
      if (picks.length < ballot.minPicks) reject('BALLOT.TOO_FEW_PICKS', `Pick at least ${ballot.minPicks} proposals.`);
      if (picks.length > ballot.maxPicks) reject('BALLOT.TOO_MANY_PICKS', `Pick at most ${ballot.maxPicks} proposals.`);
      return { kind: 'approval', proposalIds: [...picks] };
    case 'knapsack':
      if (picks.length === 0) reject('BALLOT.TOO_FEW_PICKS', 'Pick at least one proposal.');
      if (sumPence(costs) > budget) reject('BALLOT.OVER_BUDGET', 'The proposals picked cost more than the pot holds.');
      return { kind: 'knapsack', proposalIds: [...picks] };
    case 'cumulative': {
      if (content.kind !== 'cumulative') return content;
      const points = content.points.map((p) => p.points);
      if (points.length === 0) reject('BALLOT.TOO_FEW_PICKS', 'Give points to at least one proposal.');
      if (!points.every((p) => Number.isSafeInteger(p) && p > 0)) reject('BALLOT.INVALID_POINTS', 'Points are whole numbers above zero.');
      if (points.reduce((a, b) => a + b, 0) > ballot.points) reject('BALLOT.TOO_MANY_POINTS', `Spread at most ${ballot.points} points.`);
      return { kind: 'cumulative', points: content.points.map(({ proposalId, points }) => ({ proposalId, points })) };
    }
    default:
      return unreachable(ballot);
  }
};
