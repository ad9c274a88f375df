import { DomainError, type Command, type Decider, type DomainEvent, type ErrorCode } from '../common';

/**
 * Given / when / then over a decider, in the words of the domain:
 * `spec(given events).when(command, context).then(expected events)` or `.thenRejects(code)`.
 * Expected events are compared on type and data; metadata is tested once, on its own.
 */
export const deciderSpec =
  <C extends Command, E extends DomainEvent, S, X>(decider: Decider<C, E, S, X>) =>
  (given: readonly E[] = []) => ({
    when: (command: C, context: X) => {
      const run = () => decider.decide(command, given.reduce(decider.evolve, decider.initialState()), context);
      return {
        then: (...expected: { type: E['type']; data: unknown }[]) =>
          expect(run().map(({ type, data }) => ({ type, data }))).toEqual(expected),
        thenNothing: () => expect(run()).toEqual([]),
        thenRejects: (code: ErrorCode) => {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(DomainError);
          expect((caught as DomainError).code).toBe(code);
        },
      };
    },
  });
