import type { JsonObject } from '@civic/event-store';
import { canonicalJson } from '../hash/canonical-json';
import { signText, verifyText, type SigningKey } from '../signing/signing-key';
import type { KeyObject } from 'node:crypto';

/** The one stream of checkpoints, appended with exact revisions: revision = sequence. */
export const CHECKPOINT_STREAM = 'audit-checkpoints';
export const CHECKPOINT_EVENT_TYPE = 'CheckpointRecorded';

/** `interval`: every N events; `phase_change`: after a fund's phase change; `timer`: events waited longer than the maximum delay. */
export const CHECKPOINT_REASONS = ['interval', 'phase_change', 'timer'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

/**
 * The fund's phase transitions (libs/domain/src/fund/fund.events.ts), each a moment an
 * auditor will want pinned: the history up to the opening and the close of voting above all.
 * Listed here as strings so that the audit library does not depend on the domain.
 */
export const DEFAULT_PHASE_CHANGE_TYPES: readonly string[] = [
  'ProposalsOpened',
  'ReviewStarted',
  'VotingOpened',
  'VotingClosed',
  'ResultsPublished',
  'DeliveryStarted',
  'FundClosed',
];

/** True for the default phase-change types and for any type ending in `PhaseChanged`. */
export function isDefaultPhaseChange(type: string): boolean {
  return DEFAULT_PHASE_CHANGE_TYPES.includes(type) || type.endsWith('PhaseChanged');
}

/** What a checkpoint states and signs. */
export interface CheckpointBody {
  readonly sequence: number;
  /** The position of the last event the Merkle root covers. */
  readonly upToPosition: string;
  /** How many events of the global order the root covers (from the first). */
  readonly eventCount: number;
  /** RFC 6962 root over the event hashes of the first `eventCount` events, hex. */
  readonly merkleRoot: string;
  /** The chain hash of the previous checkpoint event, `null` for the first. */
  readonly previousCheckpointHash: string | null;
  readonly reason: CheckpointReason;
  readonly keyId: string;
  /** The Merkle frontier at `eventCount`, so a restarted Checkpointer resumes without re-reading the log. */
  readonly frontier: (string | null)[];
}

export interface CheckpointData extends CheckpointBody {
  /** Ed25519 over the JCS of every other field, base64. */
  readonly signature: string;
}

export function signCheckpoint(body: CheckpointBody, key: SigningKey): CheckpointData {
  return { ...body, signature: signText(key, canonicalJson(body as unknown as JsonObject)) };
}

export function checkpointSignatureValid(data: CheckpointData, publicKey: KeyObject): boolean {
  const { signature, ...body } = data;
  return typeof signature === 'string' && verifyText(publicKey, canonicalJson(body as unknown as JsonObject), signature);
}

/** Narrows stored data to a checkpoint, or explains what is wrong with it. */
export function parseCheckpoint(data: unknown): CheckpointData | string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'is not an object';
  const d = data as Record<string, unknown>;
  if (!Number.isSafeInteger(d.sequence) || (d.sequence as number) < 0) return 'has no valid sequence';
  if (typeof d.upToPosition !== 'string') return 'has no upToPosition';
  if (!Number.isSafeInteger(d.eventCount) || (d.eventCount as number) < 0) return 'has no valid eventCount';
  if (typeof d.merkleRoot !== 'string' || !/^[0-9a-f]{64}$/.test(d.merkleRoot)) return 'has no valid merkleRoot';
  if (typeof d.signature !== 'string') return 'has no signature';
  if (typeof d.keyId !== 'string') return 'has no keyId';
  if (!Array.isArray(d.frontier)) return 'has no frontier';
  return data as CheckpointData;
}
