import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  ballotDecider,
  reject,
  requireReference,
  streams,
  type Actor,
  type BallotCommand,
  type BallotContext,
  type ResidentState,
} from '@civic/domain';
import { CommandMessage } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';

/**
 * Who the ballot belongs to: the resident's reference as typed (to cast, replace, withdraw
 * or enter a paper ballot), or the pseudonym an auditor or reviewer sees (to void one).
 */
export type VoterInput = { readonly reference: string } | { readonly pseudonym: string };

export type BallotInput<C extends BallotCommand> = Omit<C['payload'], 'voter'> & { readonly voter: VoterInput };

/** Cast, replace, withdraw, void, and paper ballots: one stream per voter and pot. */
export class RunBallotCommand<C extends BallotCommand = BallotCommand> extends CommandMessage<C['type'], BallotInput<C>> {}

/** The commands that test eligibility, and so need the voter's date of birth. */
const NEEDS_ELIGIBILITY: readonly BallotCommand['type'][] = ['CastBallot', 'ReplaceBallot', 'RecordPaperBallot', 'CorrectPaperBallot'];

/** Where a ballot stands in the history: what a voter keeps to check it later. */
export interface BallotReceipt extends CommandResult {
  readonly voter: string;
}

@CommandHandler(RunBallotCommand)
export class RunBallotCommandHandler implements ICommandHandler<RunBallotCommand, BallotReceipt> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload, input }: RunBallotCommand): Promise<BallotReceipt> {
    const { reader, pseudonymiser, gate } = this.runtime;
    const { fundId, potId } = payload;
    // The reference is used here, in memory, and never written: events hold only the pseudonyms.
    const reference = 'reference' in payload.voter ? requireReference(payload.voter.reference) : undefined;
    const voter = reference
      ? await pseudonymiser.pseudonymFor({ kind: 'fund', fundId }, reference)
      : 'pseudonym' in payload.voter && /^[0-9a-f]{64}$/.test(payload.voter.pseudonym)
        ? payload.voter.pseudonym
        : reject('COMMAND.INVALID', 'A ballot is named by a reference or a pseudonym.');
    const residentId = reference ? await pseudonymiser.pseudonymFor({ kind: 'register' }, reference) : undefined;
    // A resident acts under their voter pseudonym, never under an account id that could link ballots.
    const actor: Actor = input.actor.role === 'resident' ? { role: 'resident', id: voter } : input.actor;
    const command = this.runtime.stamp<BallotCommand>(type, { ...payload, voter } as BallotCommand['payload'], { ...input, actor });
    const context = async (): Promise<BallotContext> => {
      const fund = await reader.fund(fundId);
      const voter = residentId === undefined ? undefined : await reader.resident(residentId);
      return {
        fund,
        acceptedProposals: await reader.acceptedProposals(fund, potId),
        voter,
        voterDateOfBirth: voter && NEEDS_ELIGIBILITY.includes(type) ? await this.dateOfBirth(voter) : undefined,
        batch: 'batchId' in payload ? await reader.paperBatch(String(payload.batchId)) : undefined,
      };
    };
    const run = () => this.runtime.run({ streamName: streams.ballot(potId, voter), decider: ballotDecider, command, context });
    // Voiding is a correction after the fact, not a vote: it need not wait for the close.
    const result = type === 'VoidBallot' ? await run() : await gate.ballot(fundId, run);
    return { ...result, voter };
  }

  /**
   * The voter's date of birth, opened from their sealed personal data for this decision only
   * and never written. Only a verified resident can be eligible, so only theirs is opened.
   * Fails closed: sealed data that cannot be opened (no key, or altered) refuses the ballot.
   */
  private async dateOfBirth(voter: ResidentState): Promise<string | undefined> {
    if (voter.status !== 'verified') return undefined;
    const opened = voter.personal && (await this.runtime.personalData.open(voter.residentId, voter.personal).catch(() => undefined));
    if (opened) return opened.dateOfBirth;
    // Erased since we read the stream: say so, rather than that the vault lost the key.
    if ((await this.runtime.reader.resident(voter.residentId)).status === 'erased') reject('RESIDENT.ERASED', 'This resident was erased.');
    return reject(
      'RESIDENT.PERSONAL_DATA_UNAVAILABLE',
      "This resident's personal data cannot be read; an administrator must look into it.",
    );
  }
}
