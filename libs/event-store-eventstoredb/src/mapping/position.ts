import type { Position as ClientPosition } from '@eventstore/db-client';
import { InvalidInputError, type Position, type Start } from '@civic/event-store';

/**
 * EventStoreDB's position (commit, prepare) as our opaque string `"<commit>:<prepare>"`, each
 * zero-padded to 20 digits so positions sort as strings. Only this adapter parses them.
 */
export function encodePosition(position: ClientPosition): Position {
  return `${position.commit.toString().padStart(20, '0')}:${position.prepare.toString().padStart(20, '0')}`;
}

export function decodePosition(position: Position, field = 'after'): ClientPosition {
  const m = typeof position === 'string' ? /^([0-9]{20}):([0-9]{20})$/.exec(position) : null;
  if (!m) throw new InvalidInputError(field, `"${String(position)}" is not a position issued by this store`);
  return { commit: BigInt(m[1]), prepare: BigInt(m[2]) };
}

/** Compares two positions in the global order (`start` before everything). */
export function comparePositions(a: Position | Start, b: Position | Start): number {
  if (a === b) return 0;
  if (a === 'start') return -1;
  if (b === 'start') return 1;
  const [x, y] = [decodePosition(a), decodePosition(b)];
  if (x.commit !== y.commit) return x.commit < y.commit ? -1 : 1;
  return x.prepare === y.prepare ? 0 : x.prepare < y.prepare ? -1 : 1;
}
