import { createHash } from 'node:crypto';
import { createElection, Rational, type BallotInput, type Election } from '@civic/allocation';
import { canonicalJson } from '@civic/audit';
import type { AcceptedProposal, BallotContent, Pot } from '@civic/domain';
import type { JsonValue } from '@civic/event-store';
import type { CountedBallot } from '../reading/platform-reader';

/** Pence to pounds as an exact rational: MES "add1" then adds one pound per voter, not one penny. */
const pounds = (pence: number): Rational => Rational.of(BigInt(pence), 100n);

const toBallot = (content: BallotContent): BallotInput =>
  content.kind === 'cumulative' ? Object.fromEntries(content.points.map((p) => [p.proposalId, p.points])) : [...content.proposalIds];

/** What an allocation is computed from, and the digest that an auditor recomputes to check it. */
export interface AllocationInputs {
  readonly election: Election;
  /** Hex SHA-256 of the RFC 8785 form of the pot's rules, the accepted proposals and the counted ballots. */
  readonly digest: string;
  readonly ballotCount: number;
}

/**
 * Builds the election of a pot from its accepted proposals and counted ballots (sorted by
 * id and by voter pseudonym, so the same events always give the same election and digest).
 */
export const allocationInputs = (
  fundId: string,
  pot: Pot,
  accepted: readonly AcceptedProposal[],
  ballots: readonly CountedBallot[],
): AllocationInputs => {
  const byId = (a: { proposalId: string }, b: { proposalId: string }) =>
    a.proposalId < b.proposalId ? -1 : a.proposalId > b.proposalId ? 1 : 0;
  const proposals = [...accepted].sort(byId);
  const counted = [...ballots].sort((a, b) => (a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : 0));
  const election = createElection({
    budget: pounds(pot.budget),
    voteType: pot.ballot.kind,
    projects: proposals.map((p) => ({ id: p.proposalId, cost: pounds(p.officialCost) })),
    ballots: counted.map((b) => toBallot(b.content)),
  });
  const { budget, ballot, rule, tieBreak } = pot;
  const inputs = {
    fundId,
    potId: pot.potId,
    rules: { budget, ballot, rule, tieBreak },
    proposals,
    ballots: counted.map((b) => ({ voter: b.voter, content: b.content })),
  };
  const digest = createHash('sha256')
    .update(canonicalJson(JSON.parse(JSON.stringify(inputs)) as JsonValue), 'utf8')
    .digest('hex');
  return { election, digest, ballotCount: counted.length };
};
