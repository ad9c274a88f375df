import { remember, unreachable } from '../common';
import type { BallotContent } from './ballot-content';
import type { BallotEvent, BallotSource } from './ballot.events';

interface Known {
  readonly fundId: string;
  readonly potId: string;
  readonly voter: string;
  readonly handled: readonly string[];
}

/** `cast` is the only status whose ballot counts. */
export type BallotState =
  | { readonly status: 'none'; readonly handled: readonly string[] }
  | (Known & { readonly status: 'cast'; readonly content: BallotContent; readonly source: BallotSource })
  | (Known & { readonly status: 'withdrawn' })
  | (Known & { readonly status: 'voided'; readonly reason: string });

export const initialBallotState = (): BallotState => ({ status: 'none', handled: [] });

export const evolveBallot = (state: BallotState, event: BallotEvent): BallotState => {
  const handled = remember(state.handled, event);
  const { fundId, potId, voter } = event.data;
  switch (event.type) {
    case 'BallotCast':
    case 'BallotReplaced':
      return { status: 'cast', fundId, potId, voter, content: event.data.content, source: event.data.source, handled };
    case 'BallotWithdrawn':
      return { status: 'withdrawn', fundId, potId, voter, handled };
    case 'BallotVoided':
      return { status: 'voided', fundId, potId, voter, reason: event.data.reason, handled };
    default:
      return unreachable(event);
  }
};
