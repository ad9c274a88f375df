import { InvalidInputError, type Position, type Start } from '@civic/event-store';

/**
 * A position in the PostgreSQL store: the writing transaction's id (xid8) and the event's
 * sequence value, as `"<xid>:<seq>"`, each zero-padded to 20 digits so that positions also
 * sort as strings in the global order. Only this adapter parses them.
 */
export interface PgPosition {
  /** xid8, decimal, no leading zeros. */
  readonly xid: string;
  /** bigint sequence value, decimal, no leading zeros. */
  readonly seq: string;
}

const WIDTH = 20;
const PATTERN = /^([0-9]{20}):([0-9]{20})$/;

/** Before every event: xid 0 is never assigned to a transaction. */
export const ORIGIN: PgPosition = { xid: '0', seq: '0' };

export function encodePosition(xid: string | number | bigint, seq: string | number | bigint): Position {
  return `${String(xid).padStart(WIDTH, '0')}:${String(seq).padStart(WIDTH, '0')}`;
}

export function decodePosition(position: Position | Start | undefined, field = 'after'): PgPosition {
  if (position === undefined || position === 'start') return ORIGIN;
  const m = typeof position === 'string' ? PATTERN.exec(position) : null;
  if (!m) throw new InvalidInputError(field, `"${String(position)}" is not a position issued by this store`);
  return { xid: BigInt(m[1]).toString(), seq: BigInt(m[2]).toString() };
}
