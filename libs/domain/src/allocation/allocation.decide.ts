import { eventFrom, isPence, once, reject, requireRole, requireText, unreachable } from '../common';
import type { Pot } from '../fund/pot';
import { ruleKeyFor } from '../fund/rule-keys';
import type { AllocationCommand, AllocationContext } from './allocation.commands';
import type { AllocationEvent, AllocationLine, AllocationOutcome } from './allocation.events';
import { fundedTotal, type AllocationState } from './allocation.state';

type PotRef = { readonly fundId: string; readonly potId: string };

/** Allocations are computed, changed and published only between the close of voting and the results. */
const requirePotAfterVoting = (context: AllocationContext, ref: PotRef): Pot => {
  const { fund } = context;
  if (fund.fundId !== ref.fundId) reject('FUND.NOT_FOUND', 'There is no such fund.');
  if (fund.status !== 'voting_closed')
    reject('ALLOCATION.VOTING_NOT_CLOSED', 'Allocations are made after voting closes and before results are published.');
  return fund.pots.find((p) => p.potId === ref.potId) ?? reject('FUND.POT_NOT_FOUND', 'There is no such pot.');
};

/** The invariants of an outcome, whatever rule produced it. */
const validateOutcome = (outcome: AllocationOutcome, pot: Pot, context: AllocationContext): readonly AllocationLine[] => {
  if (outcome.rule !== ruleKeyFor(pot.ballot, pot.rule))
    reject('ALLOCATION.RULE_MISMATCH', "The outcome was not computed with the pot's rule.");
  if (typeof outcome.inputDigest !== 'string' || !/^[0-9a-f]{64}$/.test(outcome.inputDigest)) {
    reject('ALLOCATION.DIGEST_MISSING', 'An allocation records the SHA-256 digest of its inputs.');
  }
  requireText(outcome.ruleVersion, 100, 'ALLOCATION.INVALID', 'rule version');
  if (!Number.isSafeInteger(outcome.ballotCount) || outcome.ballotCount < 0) reject('ALLOCATION.INVALID', 'The ballot count is not valid.');
  const lines = outcome.lines;
  const ids = lines.map((l) => l.proposalId);
  const accepted = context.acceptedProposals;
  if (new Set(ids).size !== ids.length) reject('ALLOCATION.INVALID', 'Each proposal has one line.');
  for (const line of lines) {
    const proposal =
      accepted.find((a) => a.proposalId === line.proposalId) ??
      reject('PROPOSAL.NOT_ACCEPTED', 'Only accepted proposals of the pot can be funded.');
    requireText(line.reason, 2000, 'ALLOCATION.INVALID', 'reason');
    if (!isPence(line.amount) || line.amount !== (line.funded ? proposal.officialCost : 0)) {
      reject('ALLOCATION.AMOUNT_MISMATCH', 'A funded proposal gets its official cost; an unfunded one gets nothing.');
    }
  }
  if (accepted.some((a) => !ids.includes(a.proposalId))) reject('ALLOCATION.INVALID', 'Every accepted proposal of the pot has a line.');
  if (fundedTotal(lines) > pot.budget) reject('ALLOCATION.OVER_BUDGET', "The allocation exceeds the pot's budget.");
  return lines.map(({ proposalId, funded, amount, reason }) => ({ proposalId, funded, amount, reason }));
};

const requireStatus = (state: AllocationState, wanted: 'recorded' | 'ratified') => {
  if (state.status === 'none') return reject('ALLOCATION.NOT_RECORDED', 'No allocation has been recorded for this pot.');
  if (state.status === 'published') return reject('ALLOCATION.ALREADY_PUBLISHED', 'This allocation is already published.');
  if (wanted === 'recorded' && state.status === 'ratified')
    return reject('ALLOCATION.ALREADY_RATIFIED', 'This allocation is already ratified.');
  if (wanted === 'ratified' && state.status === 'recorded')
    return reject('ALLOCATION.NOT_RATIFIED', 'An allocation is ratified before it is published.');
  return state;
};

const decideAllocationCommand = (command: AllocationCommand, state: AllocationState, context: AllocationContext): AllocationEvent[] => {
  const { fundId, potId } = command.payload;
  const ref = { fundId, potId };
  const councillor = (what: string) => requireRole(command.metadata.actor, ['councillor'], what);
  switch (command.type) {
    case 'RecordAllocation': {
      requireRole(command.metadata.actor, ['administrator', 'system'], 'record an allocation');
      const pot = requirePotAfterVoting(context, ref);
      if (state.status !== 'none') requireStatus(state, 'recorded');
      const { rule, ruleVersion, inputDigest, ballotCount } = command.payload.outcome;
      const lines = validateOutcome(command.payload.outcome, pot, context);
      const data = { ...ref, rule, ruleVersion, inputDigest, ballotCount, lines, budget: pot.budget, totalCost: fundedTotal(lines) };
      return [eventFrom(command, 'AllocationRecorded', data)];
    }
    case 'OverrideAllocationLine': {
      councillor('override an allocation');
      const pot = requirePotAfterVoting(context, ref);
      const recorded = requireStatus(state, 'recorded');
      const { proposalId, funded } = command.payload;
      const reason = requireText(command.payload.reason, 2000, 'ALLOCATION.INVALID', 'reason');
      const line =
        recorded.lines.find((l) => l.proposalId === proposalId) ??
        reject('PROPOSAL.NOT_ACCEPTED', 'Only accepted proposals of the pot can be funded.');
      if (line.funded === funded) reject('ALLOCATION.INVALID', 'The override must change the line.');
      const cost =
        context.acceptedProposals.find((a) => a.proposalId === proposalId)?.officialCost ??
        reject('PROPOSAL.NOT_ACCEPTED', 'Only accepted proposals of the pot can be funded.');
      const amount = funded ? cost : 0;
      const lines = recorded.lines.map((l) => (l.proposalId === proposalId ? { ...l, funded, amount } : l));
      if (fundedTotal(lines) > pot.budget) reject('ALLOCATION.OVER_BUDGET', "The allocation exceeds the pot's budget.");
      return [eventFrom(command, 'AllocationLineOverridden', { ...ref, proposalId, funded, amount, reason })];
    }
    case 'RatifyAllocation':
      councillor('ratify an allocation');
      requirePotAfterVoting(context, ref);
      requireStatus(state, 'recorded');
      return [eventFrom(command, 'AllocationRatified', ref)];
    case 'PublishAllocation':
      councillor('publish an allocation');
      requirePotAfterVoting(context, ref);
      requireStatus(state, 'ratified');
      return [eventFrom(command, 'AllocationPublished', ref)];
    default:
      return unreachable(command);
  }
};

export const decideAllocation = once(decideAllocationCommand);
