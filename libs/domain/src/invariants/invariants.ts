import { streams } from '../common';
import type { BallotEvent } from '../ballot/ballot.events';
import { pickedProposalIds } from '../ballot/ballot-content';
import { evolveBallot, initialBallotState, type BallotState } from '../ballot/ballot.state';
import type { AllocationEvent } from '../allocation/allocation.events';
import { evolveAllocation, fundedTotal, initialAllocationState, type AllocationState } from '../allocation/allocation.state';
import type { FundEvent } from '../fund/fund.events';
import { evolveFund, initialFundState, type FundState } from '../fund/fund.state';
import type { ProposalEvent } from '../proposal/proposal.events';
import { evolveProposal, initialProposalState, type ProposalState } from '../proposal/proposal.state';
import { isEligible } from '../resident/eligibility';
import { evolveResident, initialResidentState, type ResidentEvent, type ResidentState } from '../resident/resident';
import type { Recorded } from '../testing/world';

/**
 * Walks a history in its global order and returns every breach of the invariants of
 * DESIGN.md it finds (empty when all hold):
 * - one ballot per resident per pot: a ballot is cast only where none is live;
 * - ballots cast, replaced or withdrawn only while voting is open (voided until results), only for accepted proposals of the pot, only from
 *   eligible residents (aged from `datesOfBirth`: what the vault opens, since events hold them sealed);
 * - no allocation over its pot's budget;
 * - the rules of every pot frozen once voting has opened.
 */
export const breaches = (
  log: readonly Recorded[],
  voters: ReadonlyMap<string, string>,
  datesOfBirth: ReadonlyMap<string, string>,
): string[] => {
  const found: string[] = [];
  let fund: FundState = initialFundState();
  let frozen: string | undefined;
  const residents = new Map<string, ResidentState>();
  const proposals = new Map<string, ProposalState>();
  const ballots = new Map<string, BallotState>();
  const allocations = new Map<string, AllocationState>();

  log.forEach(({ stream, event }, position) => {
    const at = `#${position} ${event.type}`;
    if (stream.startsWith('fund-')) {
      const e = event as FundEvent;
      if (frozen !== undefined && (e.type === 'PotAdded' || e.type === 'PotRulesChanged'))
        found.push(`${at}: pot rules changed after voting opened`);
      fund = evolveFund(fund, e);
      if (e.type === 'VotingOpened') frozen = JSON.stringify(e.data.pots);
    } else if (stream.startsWith('resident-')) {
      residents.set(stream, evolveResident(residents.get(stream) ?? initialResidentState(), event as ResidentEvent));
    } else if (stream.startsWith('proposal-')) {
      proposals.set(stream, evolveProposal(proposals.get(stream) ?? initialProposalState(), event as ProposalEvent));
    } else if (stream.startsWith('ballot-')) {
      const e = event as BallotEvent;
      const before = ballots.get(stream) ?? initialBallotState();
      // A reviewer may still void a fraudulent ballot after the close, until results are published.
      const open = fund.status === 'voting_open' || (e.type === 'BallotVoided' && fund.status === 'voting_closed');
      if (!open) found.push(`${at}: ballot event while the fund is ${fund.status}`);
      if (e.type === 'BallotCast' && before.status === 'cast') found.push(`${at}: a second live ballot in ${stream}`);
      if (stream !== streams.ballot(e.data.potId, e.data.voter)) found.push(`${at}: ballot in the wrong stream`);
      if (e.type === 'BallotCast' || e.type === 'BallotReplaced') {
        const pot = fund.status === 'none' ? undefined : fund.pots.find((p) => p.potId === e.data.potId);
        const residentId = voters.get(e.data.voter);
        const resident = residentId === undefined ? undefined : residents.get(streams.resident(residentId));
        if (
          fund.status === 'none' ||
          !pot ||
          !resident ||
          !isEligible(resident, datesOfBirth.get(residentId as string), pot, fund.minimumAge, event.metadata.time)
        )
          found.push(`${at}: ballot from a voter not eligible in the pot`);
        for (const id of pickedProposalIds(e.data.content)) {
          const p = proposals.get(streams.proposal(id));
          if (p?.status !== 'accepted' || p.potId !== e.data.potId)
            found.push(`${at}: ballot names ${id}, not an accepted proposal of the pot`);
        }
      }
      ballots.set(stream, evolveBallot(before, e));
    } else if (stream.startsWith('allocation-')) {
      const next = evolveAllocation(allocations.get(stream) ?? initialAllocationState(), event as AllocationEvent);
      allocations.set(stream, next);
      const pot = fund.status === 'none' ? undefined : fund.pots.find((p) => stream === streams.allocation(p.potId));
      if (next.status !== 'none' && (!pot || fundedTotal(next.lines) > pot.budget))
        found.push(`${at}: allocation over the budget of its pot`);
    }
  });
  if (frozen !== undefined && fund.status !== 'none' && JSON.stringify(fund.pots) !== frozen)
    found.push('pots differ from those frozen when voting opened');
  return found;
};
