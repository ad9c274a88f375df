import type { KeyObject } from 'node:crypto';
import type { JsonObject } from '@civic/event-store';
import { parseCheckpoint, type CheckpointData } from '../checkpoint/checkpoint';
import { canonicalJson } from '../hash/canonical-json';
import { keyIdOf, verifyText } from '../signing/signing-key';

/**
 * A signed checkpoint as it is published: its fields, and the exact text its signature covers
 * (the RFC 8785 form of every field but the signature), so that a verifier need not rebuild it.
 */
export interface PublishedCheckpoint {
  /** The checkpoint event's id and position in the log: what a witness keeps (`WitnessRecord`). */
  readonly eventId: string;
  readonly position: string;
  readonly sequence: number;
  readonly upToPosition: string;
  readonly eventCount: number;
  readonly merkleRoot: string;
  readonly previousCheckpointHash: string | null;
  readonly reason: string;
  readonly keyId: string;
  /** Ed25519, base64, over `signedText` (UTF-8). */
  readonly signature: string;
  readonly signedText: string;
}

export function publishCheckpoint(data: CheckpointData, event: { readonly id: string; readonly position: string }): PublishedCheckpoint {
  const { signature, ...body } = data;
  const { sequence, upToPosition, eventCount, merkleRoot, previousCheckpointHash, reason, keyId } = data;
  return {
    eventId: event.id,
    position: event.position,
    sequence,
    upToPosition,
    eventCount,
    merkleRoot,
    previousCheckpointHash,
    reason,
    keyId,
    signature,
    signedText: canonicalJson(body as unknown as JsonObject),
  };
}

export type CheckpointCheck =
  | { readonly ok: true; readonly data: CheckpointData }
  | {
      readonly ok: false;
      readonly code: 'MALFORMED' | 'CHECKPOINT_KEY_MISMATCH' | 'CHECKPOINT_SIGNATURE_INVALID';
      readonly message: string;
    };

/**
 * Checks a published checkpoint against the audit public key: its signed text is canonical
 * JSON of a checkpoint, names this key, verifies under it, and says what its fields say.
 */
export function checkPublishedCheckpoint(
  checkpoint: Partial<PublishedCheckpoint> | null | undefined,
  publicKey: KeyObject,
): CheckpointCheck {
  if (typeof checkpoint?.signedText !== 'string' || typeof checkpoint.signature !== 'string')
    return { ok: false, code: 'MALFORMED', message: 'The checkpoint has no signed text or signature.' };
  let body: unknown;
  try {
    body = JSON.parse(checkpoint.signedText);
  } catch {
    return { ok: false, code: 'MALFORMED', message: 'The checkpoint’s signed text is not JSON.' };
  }
  const signed = parseCheckpoint({ ...(body as object), signature: checkpoint.signature });
  if (typeof signed === 'string') return { ok: false, code: 'MALFORMED', message: `The signed checkpoint ${signed}.` };
  if (signed.keyId !== keyIdOf(publicKey))
    return { ok: false, code: 'CHECKPOINT_KEY_MISMATCH', message: `The checkpoint is signed by ${signed.keyId}, not by the given key.` };
  if (canonicalJson(body as JsonObject) !== checkpoint.signedText || !verifyText(publicKey, checkpoint.signedText, checkpoint.signature))
    return { ok: false, code: 'CHECKPOINT_SIGNATURE_INVALID', message: 'The checkpoint’s signature does not verify with the given key.' };
  const fields = ['sequence', 'eventCount', 'merkleRoot', 'keyId', 'upToPosition', 'previousCheckpointHash', 'reason'] as const;
  if (fields.some((f) => checkpoint[f] !== undefined && checkpoint[f] !== signed[f]))
    return { ok: false, code: 'CHECKPOINT_SIGNATURE_INVALID', message: 'The checkpoint’s fields differ from what its signature covers.' };
  return { ok: true, data: signed };
}
