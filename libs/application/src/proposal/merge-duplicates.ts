import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AbsorbDuplicate, MergeProposal } from '@civic/domain';
import { causedBy, type CommandInput } from '../command-handling/command-input';
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
  constructor(private readonly proposals: RunProposalCommandHandler) {}

  async execute({ survivorId, duplicateIds, input }: MergeDuplicatesCommand): Promise<CommandResult[]> {
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
}
