import { reject, requireId, type Actor, type Command, type ErrorCode } from '@civic/domain';
import type { Clock } from '../ports/clock.port';

/**
 * What a transport hands over with every command: its id (the same on a retry), the actor
 * (role and pseudonymous id, from authentication), and the ids that tie it to a flow.
 * The time is never taken from the caller: the handler stamps it from the injected clock.
 */
export interface CommandInput {
  readonly commandId: string;
  readonly actor: Actor;
  /** @defaultValue the command id */
  readonly correlationId?: string;
  /** @defaultValue the command id */
  readonly causationId?: string;
}

/** Builds a domain command from its input, stamped with the clock's time. */
export const stamp = <C extends Command>(type: C['type'], payload: C['payload'], input: CommandInput, clock: Clock): C => {
  requireId(input.commandId, 'command id');
  if (!input.actor || typeof input.actor.id !== 'string' || input.actor.id === '') reject('COMMAND.INVALID', 'A command needs an actor.');
  const { commandId, actor } = input;
  const metadata = {
    commandId,
    actor,
    correlationId: input.correlationId ?? commandId,
    causationId: input.causationId ?? commandId,
    time: clock.now(),
  };
  return { type, payload, metadata } as C;
};

/** The input of a command caused by another (e.g. one row of an import): a derived id, the same correlation. */
export const causedBy = (parent: CommandInput, commandId: string, actor: Actor = parent.actor): CommandInput => ({
  commandId,
  actor,
  correlationId: parent.correlationId ?? parent.commandId,
  causationId: parent.commandId,
});

/** The outcome of one part of a batch: accepted, or refused with a code. */
export type PartOutcome = { readonly ok: true } | { readonly ok: false; readonly code: ErrorCode; readonly message: string };
