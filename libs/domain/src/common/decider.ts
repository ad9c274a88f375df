import type { Command } from './command';
import type { DomainEvent } from './event';

/**
 * An aggregate as three pure functions. `context` holds what the decision needs from
 * other streams (loaded by the handler); deciders that need nothing take `undefined`.
 */
export interface Decider<C extends Command, E extends DomainEvent, S, X = undefined> {
  readonly initialState: () => S;
  readonly evolve: (state: S, event: E) => S;
  readonly decide: (command: C, state: S, context: X) => E[];
  /**
   * When set, the state is a function of the stream's last `foldsLast` events only (older
   * ones change nothing a decision reads), so a load reads no more than these.
   * @defaultValue every event of the stream
   */
  readonly foldsLast?: number;
}

/** Folds events from a given state (from zero by default). */
export const fold = <E extends DomainEvent, S>(evolve: (state: S, event: E) => S, initial: S, events: readonly E[]): S =>
  events.reduce(evolve, initial);
