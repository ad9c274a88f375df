import { createHash } from 'node:crypto';
import { createElection, Rational, type AllocateOptions, type BallotInput, type Election } from '@civic/allocation';
import { writeCanonicalJson } from '@civic/audit';
import type { AcceptedProposal, BallotContent, Pot } from '@civic/domain';
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
  // Hashed as it is written: a city's pot is megabytes of canonical text.
  const hash = createHash('sha256');
  writeCanonicalJson(inputs, (text) => hash.update(text, 'utf8'));
  const digest = hash.digest('hex');
  return { election, digest, ballotCount: counted.length };
};

/** Lowest number first; proposals without a number (accepted before numbers existed) after, by id. */
const byNumber = (a: AcceptedProposal, b: AcceptedProposal): number =>
  (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER) ||
  (a.proposalId < b.proposalId ? -1 : a.proposalId > b.proposalId ? 1 : 0);

/**
 * The allocation library's tie-break options for a pot: one function for the platform and the
 * auditor's recompute, so both break ties the same way. `number` becomes the library's
 * explicit `order` (the accepted proposals by public number).
 */
export const allocateOptions = (pot: Pot, accepted: readonly AcceptedProposal[]): AllocateOptions => {
  const order = pot.tieBreak;
  switch (order.kind) {
    case 'lexico':
      return { tieBreak: 'lexico' };
    case 'equalshares':
      return { tieBreak: 'equalshares', seed: order.seed };
    case 'number':
      return { tieBreak: 'order', order: [...accepted].sort(byNumber).map((p) => p.proposalId) };
    default: {
      const unknown: never = order;
      return unknown;
    }
  }
};
