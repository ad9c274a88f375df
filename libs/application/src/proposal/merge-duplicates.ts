import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { reject, type AbsorbDuplicate, type MergeProposal } from '@civic/domain';
import { causedBy, type CommandInput } from '../command-handling/command-input';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';
import { childCommandId } from '../ports/event-ids';
import { RunProposalCommand, RunProposalCommandHandler } from './run-proposal-command';

/** Merges duplicates into one surviving proposal; each duplicate then names the survivor. */
export class MergeDuplicatesCommand {
  constructor(
    readonly survivorId: string,
    readonly duplicateIds: readonly string[],
    readonly input: CommandInput,
  ) {}
}

/**
 * Marks each duplicate as merged, then records it on the survivor. Each step has a command
 * id derived from the merge's, so the merge can be retried as a whole after a failure
 * part-way and completes what was left.
 */
@CommandHandler(MergeDuplicatesCommand)
export class MergeDuplicatesHandler implements ICommandHandler<MergeDuplicatesCommand, CommandResult[]> {
  constructor(
    private readonly proposals: RunProposalCommandHandler,
    private readonly runtime: CommandRuntime,
  ) {}

  async execute({ survivorId, duplicateIds, input }: MergeDuplicatesCommand): Promise<CommandResult[]> {
    await this.assertMergeable(survivorId, duplicateIds);
    const results: CommandResult[] = [];
    for (const duplicateId of duplicateIds) {
      const step = (part: string) => causedBy(input, childCommandId(input.commandId, `${part}:${duplicateId}`));
      results.push(
        await this.proposals.execute(
          new RunProposalCommand<MergeProposal>('MergeProposal', { proposalId: duplicateId, survivorId }, step('merge')),
        ),
      );
      results.push(
        await this.proposals.execute(
          new RunProposalCommand<AbsorbDuplicate>('AbsorbDuplicate', { proposalId: survivorId, duplicateId }, step('absorb')),
        ),
      );
    }
    return results;
  }

  /**
   * A merge runs one duplicate at a time, so it is checked as a whole first, on the streams
   * themselves (not on read models, which may not hold the latest reviews yet): one bad
   * duplicate must not leave the others merged. A duplicate already merged into this survivor
   * passes: that is a retry completing what was left. Each step is checked again by the decider.
   */
  private async assertMergeable(survivorId: string, duplicateIds: readonly string[]): Promise<void> {
    const survivor = await this.runtime.reader.proposal(survivorId);
    if (survivor.status === 'none') return reject('PROPOSAL.NOT_FOUND', 'There is no such proposal.');
    for (const id of duplicateIds) {
      const duplicate = await this.runtime.reader.proposal(id);
      if (duplicate.status === 'none') return reject('PROPOSAL.NOT_FOUND', 'There is no such proposal.');
      if (id === survivorId || duplicate.potId !== survivor.potId)
        reject('PROPOSAL.MERGE_INVALID', 'A duplicate merges into another live proposal of the same pot.');
      const retried = duplicate.status === 'merged' && duplicate.survivorId === survivorId;
      if (duplicate.status !== 'submitted' && !retried) reject('PROPOSAL.ALREADY_REVIEWED', 'This proposal is no longer awaiting review.');
    }
  }
}
