import type { Command } from './command';
import type { DomainEvent } from './event';

/**
 * How many recent command ids a stream remembers. A retry comes soon after the first
 * attempt (a timeout, a double click), so a short window suffices and state stays small;
 * the store's idempotent append by deterministic event id is the second line of defence.
 */
export const HANDLED_COMMANDS_KEPT = 64;

export interface Remembers {
  readonly handled: readonly string[];
}

/** Records the command id of an event in the bounded window (evolve calls this). */
export const remember = (handled: readonly string[], event: DomainEvent): readonly string[] => {
  const id = event.metadata.commandId;
  if (handled.includes(id)) return handled;
  const next = [...handled, id];
  return next.length > HANDLED_COMMANDS_KEPT ? next.slice(next.length - HANDLED_COMMANDS_KEPT) : next;
};

/**
 * Wraps a decide function: a command whose id this stream already handled yields no
 * events, whatever the state is now. Its effect happened once, the first time.
 */
export const once =
  <C extends Command, S extends Remembers, Rest extends unknown[], E extends DomainEvent>(
    decide: (command: C, state: S, ...context: Rest) => E[],
  ) =>
  (command: C, state: S, ...context: Rest): E[] =>
    state.handled.includes(command.metadata.commandId) ? [] : decide(command, state, ...context);
