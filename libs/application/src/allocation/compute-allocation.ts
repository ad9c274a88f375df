import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { allocate } from '@civic/allocation';
import {
  allocationDecider,
  reject,
  ruleKeyFor,
  streams,
  type AllocationContext,
  type AllocationOutcome,
  type RecordAllocation,
} from '@civic/domain';
import type { CommandInput } from '../command-handling/command-input';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';
import { allocationInputs } from './allocation-inputs';

/** Computes a pot's allocation with its rule from the ballots as they stand, and records it. */
export class ComputeAllocationCommand {
  constructor(
    readonly fundId: string,
    readonly potId: string,
    readonly input: CommandInput,
  ) {}
}

/**
 * Loads the pot's frozen rules, accepted proposals and counted ballots, runs
 * `@civic/allocation`, and hands the outcome to the allocation decider, which checks the
 * invariants again (budget, accepted proposals, rule, digest) before anything is written.
 */
@CommandHandler(ComputeAllocationCommand)
export class ComputeAllocationHandler implements ICommandHandler<ComputeAllocationCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ fundId, potId, input }: ComputeAllocationCommand): Promise<CommandResult> {
    const { reader } = this.runtime;
    const fund = await reader.fund(fundId);
    const pot = fund.pots.find((p) => p.potId === potId) ?? reject('FUND.POT_NOT_FOUND', 'There is no such pot.');
    // Ballots may still change until voting closes: computing earlier would count a moving target.
    if (fund.status !== 'voting_closed')
      reject('ALLOCATION.VOTING_NOT_CLOSED', 'Allocations are made after voting closes and before results are published.');
    const accepted = await reader.acceptedProposals(fund, potId);
    const { election, digest, ballotCount } = allocationInputs(fundId, pot, accepted, await reader.countedBallots(potId));
    const rule = ruleKeyFor(pot.ballot, pot.rule);
    const result = allocate(
      election,
      rule,
      pot.tieBreak.kind === 'equalshares' ? { tieBreak: 'equalshares', seed: pot.tieBreak.seed } : { tieBreak: 'lexico' },
    );
    const funded = new Set(result.selected);
    const outcome: AllocationOutcome = {
      rule,
      ruleVersion: result.ruleVersion,
      inputDigest: digest,
      ballotCount,
      lines: accepted.map(({ proposalId, officialCost }) => ({
        proposalId,
        funded: funded.has(proposalId),
        amount: funded.has(proposalId) ? officialCost : 0,
        reason: result.explanation[proposalId]?.summary ?? 'No explanation was given by the rule.',
      })),
    };
    const command = this.runtime.stamp<RecordAllocation>('RecordAllocation', { fundId, potId, outcome }, input);
    const context = (): AllocationContext => ({ fund, acceptedProposals: accepted });
    return this.runtime.run({ streamName: streams.allocation(potId), decider: allocationDecider, command, context });
  }
}
