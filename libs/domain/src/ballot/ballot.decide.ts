import { ADMIN, eventFrom, once, reject, requireRole, requireText, STAFF, unreachable, type Command } from '../common';
import type { Pot } from '../fund/pot';
import { requireEligible } from '../resident/eligibility';
import { initialResidentState } from '../resident/resident';
import { validateBallotContent, type BallotContent } from './ballot-content';
import type { AssistedAt, BallotCommand, BallotContext } from './ballot.commands';
import type { BallotEvent, BallotSource } from './ballot.events';
import type { BallotState } from './ballot.state';

type Ref = { readonly fundId: string; readonly potId: string; readonly voter: string };

/** No ballot outside voting: the phase must be open and the scheduled close not yet passed. */
const requireVotingOpen = (command: Command, context: BallotContext, ref: Ref): Pot => {
  const { fund } = context;
  if (fund.fundId !== ref.fundId) reject('FUND.NOT_FOUND', 'There is no such fund.');
  const before = ['draft', 'proposals_open', 'review'].includes(fund.status);
  if (before) reject('BALLOT.VOTING_NOT_OPEN', 'Voting has not opened yet.');
  if (fund.status !== 'voting_open' || command.metadata.time >= fund.schedule.votingClosesAt) {
    reject('BALLOT.VOTING_CLOSED', 'Voting is closed.');
  }
  return fund.pots.find((p) => p.potId === ref.potId) ?? reject('FUND.POT_NOT_FOUND', 'There is no such pot.');
};

/** A valid ballot from an eligible voter, under the pot's frozen rules. */
const requireValidBallot = (command: Command, context: BallotContext, ref: Ref, content: BallotContent): BallotContent => {
  const pot = requireVotingOpen(command, context, ref);
  requireEligible(context.voter ?? initialResidentState(), context.voterDateOfBirth, pot, context.fund.minimumAge, command.metadata.time);
  return validateBallotContent(content, pot.ballot, pot.budget, context.acceptedProposals);
};

/** The paper entry's batch must be recorded for this fund and pot, and the entry within it. */
const requirePaperSource = (
  context: BallotContext,
  ref: Ref,
  batchId: string,
  entryNo: number,
): Extract<BallotSource, { channel: 'paper' }> => {
  const batch = context.batch;
  if (batch?.status !== 'recorded' || batch.batchId !== batchId || batch.fundId !== ref.fundId || batch.potId !== ref.potId) {
    return reject('PAPER_BATCH.NOT_FOUND', 'There is no such paper batch for this pot.');
  }
  if (!Number.isSafeInteger(entryNo) || entryNo < 1 || entryNo > batch.entryCount)
    reject('PAPER_BATCH.INVALID', 'The entry number is outside the batch.');
  return { channel: 'paper', batchId, entryNo };
};

/** An online ballot, or one cast at a kiosk: then its officer and place travel with it. */
const sourceOf = (assisted: AssistedAt | undefined): BallotSource =>
  assisted === undefined
    ? { channel: 'online' }
    : {
        channel: 'assisted',
        kioskId: requireText(assisted.kioskId, 100, 'COMMAND.INVALID', 'kiosk id'),
        officer: requireText(assisted.officer, 200, 'COMMAND.INVALID', 'officer'),
        place: requireText(assisted.place, 200, 'COMMAND.INVALID', 'place'),
      };

/** Whether a new ballot may start in this stream: none yet, or the last one withdrawn. */
const requireNoLiveBallot = (state: BallotState): void => {
  if (state.status === 'cast') reject('BALLOT.ALREADY_CAST', 'A ballot is already cast in this pot; replace it instead.');
  if (state.status === 'voided') reject('BALLOT.VOIDED', 'This ballot was voided and cannot be cast again.');
};

const requireLiveBallot = (state: BallotState) =>
  state.status === 'cast'
    ? state
    : reject(state.status === 'voided' ? 'BALLOT.VOIDED' : 'BALLOT.NOT_FOUND', 'There is no ballot to change.');

/** A resident acts on their own ballot only: the handler sets the actor id to the voter's pseudonym. */
const requireVoter = (command: Command, ref: Ref): void => {
  requireRole(command.metadata.actor, ['resident'], 'vote');
  if (command.metadata.actor.id !== ref.voter) reject('AUTH.FORBIDDEN', 'A resident may act only on their own ballot.');
};

const decideBallotCommand = (command: BallotCommand, state: BallotState, context: BallotContext): BallotEvent[] => {
  const { fundId, potId, voter } = command.payload;
  const ref = { fundId, potId, voter };
  switch (command.type) {
    case 'CastBallot': {
      requireVoter(command, ref);
      const content = requireValidBallot(command, context, ref, command.payload.content);
      requireNoLiveBallot(state);
      return [eventFrom(command, 'BallotCast', { ...ref, content, source: sourceOf(command.payload.assisted) })];
    }
    case 'ReplaceBallot': {
      requireVoter(command, ref);
      const content = requireValidBallot(command, context, ref, command.payload.content);
      requireLiveBallot(state);
      return [eventFrom(command, 'BallotReplaced', { ...ref, content, source: sourceOf(command.payload.assisted) })];
    }
    case 'WithdrawBallot':
      requireVoter(command, ref);
      // An erased voter's ballot stays counted (see resident/README.md): nobody withdraws it for them.
      if (context.voter?.status === 'erased') reject('RESIDENT.ERASED', 'This resident was erased.');
      requireVotingOpen(command, context, ref);
      requireLiveBallot(state);
      return [eventFrom(command, 'BallotWithdrawn', ref)];
    case 'VoidBallot': {
      requireRole(command.metadata.actor, STAFF, 'void a ballot');
      if (context.fund.fundId !== ref.fundId) reject('FUND.NOT_FOUND', 'There is no such fund.');
      if (!['voting_open', 'voting_closed'].includes(context.fund.status))
        reject('BALLOT.VOTING_CLOSED', 'Ballots can be voided only until results are published.');
      if (requireLiveBallot(state).fundId !== ref.fundId) reject('BALLOT.NOT_FOUND', 'There is no ballot to change.');
      const reason = requireText(command.payload.reason, 2000, 'COMMAND.INVALID', 'reason');
      return [eventFrom(command, 'BallotVoided', { ...ref, reason })];
    }
    case 'RecordPaperBallot': {
      requireRole(command.metadata.actor, STAFF, 'record paper ballots');
      const source = requirePaperSource(context, ref, command.payload.batchId, command.payload.entryNo);
      const content = requireValidBallot(command, context, ref, command.payload.content);
      requireNoLiveBallot(state);
      return [eventFrom(command, 'BallotCast', { ...ref, content, source })];
    }
    case 'CorrectPaperBallot': {
      requireRole(command.metadata.actor, STAFF, 'correct paper ballots');
      const source = requirePaperSource(context, ref, command.payload.batchId, command.payload.entryNo);
      const content = requireValidBallot(command, context, ref, command.payload.content);
      const live = requireLiveBallot(state);
      if (live.source.channel !== 'paper' || live.source.batchId !== source.batchId || live.source.entryNo !== source.entryNo) {
        reject('BALLOT.NOT_FROM_BATCH', 'Only the entry of this batch can be corrected.');
      }
      const reason = requireText(command.payload.reason, 2000, 'COMMAND.INVALID', 'reason');
      return [eventFrom(command, 'BallotReplaced', { ...ref, content, source, reason })];
    }
    case 'ImportBallot': {
      requireRole(command.metadata.actor, ADMIN, 'import ballots');
      const pot = requireVotingOpen(command, context, ref);
      if (!/^[0-9a-f]{64}$/.test(String(command.payload.fileDigest)))
        reject('IMPORT.MALFORMED', 'An imported ballot names the SHA-256 of its file.');
      const content = validateBallotContent(command.payload.content, pot.ballot, pot.budget, context.acceptedProposals);
      requireNoLiveBallot(state);
      return [
        eventFrom(
          command,
          'BallotCast',
          { ...ref, content, source: { channel: 'imported' as const, fileDigest: command.payload.fileDigest } },
          2,
        ),
      ];
    }
    default:
      return unreachable(command);
  }
};

export const decideBallot = once(decideBallotCommand);
