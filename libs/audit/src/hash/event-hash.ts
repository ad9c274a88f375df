import { hash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@civic/event-store';
import { canonicalJson } from './canonical-json';

/** The metadata field the chain is stored in; writers may not set it themselves. */
export const CHAIN_FIELD = 'chain';

/** What every chained event carries in `metadata.chain`: hex SHA-256 digests. */
export interface ChainLink {
  readonly hash: string;
  /** The hash of the previous event of the same stream; `null` at revision 0. */
  readonly previous: string | null;
}

/** Everything an event's hash covers. The position is not in it: the Merkle checkpoints cover the global order. */
export interface HashableEvent {
  readonly streamName: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly data: JsonValue;
  /** Without the chain field. */
  readonly metadata: JsonObject;
  readonly previous: string | null;
}

/** `SHA-256(JCS({ stream, revision, id, type, data, metadata, previous }))`, hex. */
export function eventHash(e: HashableEvent): string {
  const canonical = canonicalJson({
    stream: e.streamName,
    revision: e.revision,
    id: e.id,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    previous: e.previous,
  });
  return hash('sha256', canonical, 'hex');
}

/** Splits stored metadata into the caller's metadata and the chain link (undefined when absent or malformed). */
export function splitChain(metadata: JsonObject): { metadata: JsonObject; link: ChainLink | undefined } {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || !(CHAIN_FIELD in metadata)) {
    return { metadata, link: undefined };
  }
  const { [CHAIN_FIELD]: raw, ...rest } = metadata;
  return { metadata: rest, link: asChainLink(raw) };
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;

export function asChainLink(raw: JsonValue | undefined): ChainLink | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { hash: h, previous } = raw;
  if (typeof h !== 'string' || !HEX_DIGEST.test(h)) return undefined;
  if (previous !== null && (typeof previous !== 'string' || !HEX_DIGEST.test(previous))) return undefined;
  return { hash: h, previous };
}
