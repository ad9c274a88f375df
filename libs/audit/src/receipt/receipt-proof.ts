import type { KeyObject } from 'node:crypto';
import type { CheckpointData } from '../checkpoint/checkpoint';
import type { MerkleIndex } from '../merkle/merkle-index';
import { inclusionProof, rootFromInclusionProof } from '../merkle/merkle-proof';
import { checkPublishedCheckpoint, type PublishedCheckpoint } from './published-checkpoint';

/** The RFC 6962 audit path of one event in the tree of a checkpoint. Hashes are hex. */
export interface InclusionProofData {
  /** The event's ordinal in the global order, from 0: its leaf in the tree. */
  readonly leafIndex: number;
  /** The checkpoint's event count. */
  readonly treeSize: number;
  readonly auditPath: readonly string[];
}

/** What anyone holding a receipt (an event's hash) is given to check it, and can keep to check it again offline. */
export interface ReceiptProofData {
  readonly position: string;
  readonly hash: string;
  readonly proof: InclusionProofData;
  readonly checkpoint: PublishedCheckpoint;
}

/** The audit path of leaf `leafIndex` in the checkpoint's tree, from the stored tree. */
export function buildInclusionProof(index: MerkleIndex, leafIndex: number, checkpoint: CheckpointData): InclusionProofData {
  const treeSize = checkpoint.eventCount;
  const path = inclusionProof(leafIndex, treeSize, (a, b) => index.hashRange(a, b));
  return { leafIndex, treeSize, auditPath: path.map((p) => p.toString('hex')) };
}

export const RECEIPT_FAILURES = [
  /** The file or answer is not a receipt proof. */
  'RECEIPT.MALFORMED',
  /** The log has no event with this hash. */
  'RECEIPT.NOT_IN_LOG',
  /** The event is recorded, but no signed checkpoint covers it yet. */
  'RECEIPT.PROOF_PENDING',
  /** The proof is for another event than the receipt names. */
  'RECEIPT.PROOF_MISMATCH',
  /** The audit path does not lead from the event to the checkpoint's root. */
  'RECEIPT.PROOF_INVALID',
  /** The checkpoint names another key than the one given. */
  'RECEIPT.CHECKPOINT_KEY_MISMATCH',
  /** The checkpoint's signature does not verify with the given key, or its signed text is not its fields. */
  'RECEIPT.CHECKPOINT_SIGNATURE_INVALID',
] as const;
export type ReceiptFailureCode = (typeof RECEIPT_FAILURES)[number];

export type ReceiptVerdict =
  | {
      readonly ok: true;
      readonly leafIndex: number;
      readonly treeSize: number;
      readonly checkpoint: { sequence: number; merkleRoot: string; keyId: string };
    }
  | { readonly ok: false; readonly code: ReceiptFailureCode; readonly message: string };

const HEX = /^[0-9a-f]{64}$/;
const fail = (code: ReceiptFailureCode, message: string): ReceiptVerdict => ({ ok: false, code, message });

/**
 * Checks a receipt proof offline: the checkpoint is signed by `publicKey` over exactly its
 * fields, and the audit path leads from the event hash (`expectedHash` when the holder's
 * receipt names one) to the checkpoint's Merkle root (SHA-256 as RFC 6962 says, Ed25519).
 */
export function verifyReceiptProof(proof: unknown, publicKey: KeyObject, expectedHash?: string): ReceiptVerdict {
  const p = proof as Partial<ReceiptProofData> | null;
  if (typeof p !== 'object' || p === null || typeof p.hash !== 'string' || !HEX.test(p.hash))
    return fail('RECEIPT.MALFORMED', 'The proof names no event hash.');
  if (expectedHash !== undefined && expectedHash !== p.hash)
    return fail('RECEIPT.PROOF_MISMATCH', 'The proof is for another event than the receipt.');
  const { proof: path, checkpoint } = p;
  if (!path || !checkpoint) return fail('RECEIPT.PROOF_PENDING', 'No signed checkpoint covers this event yet.');
  if (!Array.isArray(path.auditPath) || !path.auditPath.every((h) => typeof h === 'string' && HEX.test(h)))
    return fail('RECEIPT.MALFORMED', 'The audit path is not a list of SHA-256 hashes.');
  const checked = checkPublishedCheckpoint(checkpoint, publicKey);
  if (!checked.ok) return fail(`RECEIPT.${checked.code}`, checked.message);
  const signed = checked.data;
  if (path.treeSize !== signed.eventCount) return fail('RECEIPT.PROOF_INVALID', 'The proof is for another tree than the checkpoint’s.');
  const root = rootFromInclusionProof(
    path.leafIndex as number,
    signed.eventCount,
    Buffer.from(p.hash, 'hex'),
    path.auditPath.map((h) => Buffer.from(h, 'hex')),
  );
  if (!root || root.toString('hex') !== signed.merkleRoot)
    return fail('RECEIPT.PROOF_INVALID', 'The audit path does not lead from the event to the checkpoint’s Merkle root.');
  return {
    ok: true,
    leafIndex: path.leafIndex as number,
    treeSize: signed.eventCount,
    checkpoint: { sequence: signed.sequence, merkleRoot: signed.merkleRoot, keyId: signed.keyId },
  };
}
