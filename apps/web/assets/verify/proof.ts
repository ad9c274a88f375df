/**
 * A receipt's inclusion proof checked where the resident is, with nothing taken on trust from
 * the server: the RFC 6962 leaf hash and audit path with SHA-256 through WebCrypto, the
 * checkpoint's Ed25519 signature through WebCrypto, or @noble/ed25519 where the browser has no
 * Ed25519. Hand-written here (the heart of the check, a few lines each) because the audit
 * library's versions use node:crypto; the same rules as libs/audit (merkle-proof.ts,
 * published-checkpoint.ts), and a unit test runs both on the same proofs.
 */
import { verifyAsync as nobleVerify } from '@noble/ed25519';
import { canonicalize } from 'json-canonicalize';

export interface BrowserReceiptProof {
  readonly hash: string;
  readonly proof: { readonly leafIndex: number; readonly treeSize: number; readonly auditPath: readonly string[] } | null;
  readonly checkpoint: {
    readonly sequence: number;
    readonly eventCount: number;
    readonly merkleRoot: string;
    readonly keyId: string;
    readonly signature: string;
    readonly signedText: string;
  } | null;
}

/** The stable failures, as the CLI's `audit receipt verify` names them. */
export type ProofFailure =
  | 'RECEIPT.MALFORMED'
  | 'RECEIPT.NOT_IN_LOG'
  | 'RECEIPT.PROOF_PENDING'
  | 'RECEIPT.PROOF_INVALID'
  | 'RECEIPT.CHECKPOINT_KEY_MISMATCH'
  | 'RECEIPT.CHECKPOINT_SIGNATURE_INVALID';

export type ProofVerdict =
  { ok: true; leafIndex: number; treeSize: number; sequence: number; ed25519: 'webcrypto' | 'noble' } | { ok: false; code: ProofFailure };

const HEX = /^[0-9a-f]{64}$/;

export const hexToBytes = (hex: string): Uint8Array => {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
};
export const bytesToHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
export const base64ToBytes = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

export async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

/** RFC 9162 §2.1.3.2: the root an audit path leads to from leaf `index` of a tree of `size`; null when it cannot. */
export async function rootFromInclusionProof(index: number, size: number, eventHash: Uint8Array, path: readonly Uint8Array[]) {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = await sha256(LEAF, eventHash);
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(NODE, p, r);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else r = await sha256(NODE, r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** The DER (SPKI) bytes of a PEM public key. */
export function spkiOf(pem: string): Uint8Array {
  return base64ToBytes(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
}

/** The key id the platform names a key by: sha256:<hex of the SPKI DER>. */
export async function keyIdOf(spki: Uint8Array): Promise<string> {
  return `sha256:${bytesToHex(await sha256(spki))}`;
}

/** Ed25519 through WebCrypto; @noble/ed25519 where the browser lacks it (older phones). */
export async function verifyEd25519(spki: Uint8Array, message: Uint8Array, signature: Uint8Array, force?: 'noble') {
  if (force === 'noble') return { valid: await nobleVerify(signature, message, spki.slice(-32)).catch(() => false), via: 'noble' as const };
  try {
    const key = await crypto.subtle.importKey('spki', spki as BufferSource, { name: 'Ed25519' }, false, ['verify']);
    return {
      valid: await crypto.subtle.verify({ name: 'Ed25519' }, key, signature as BufferSource, message as BufferSource),
      via: 'webcrypto' as const,
    };
  } catch {
    // An Ed25519 SPKI is a fixed 12-byte header and the 32-byte raw key.
    return { valid: await nobleVerify(signature, message, spki.slice(-32)).catch(() => false), via: 'noble' as const };
  }
}

/** The fields of a published checkpoint the browser checks. */
export interface BrowserCheckpoint {
  readonly sequence: number;
  readonly eventCount: number;
  readonly merkleRoot: string;
  readonly signature: string;
  readonly signedText: string;
}

type CheckpointBody = { keyId?: string; eventCount?: number; merkleRoot?: string; sequence?: number };

/**
 * A published checkpoint against the council's key (SPKI): its signed text is canonical JSON
 * naming this key, its Ed25519 signature verifies, and its fields say what the signed text says.
 */
export async function checkCheckpointInBrowser(
  checkpoint: BrowserCheckpoint,
  spki: Uint8Array,
  force?: 'noble',
): Promise<
  { ok: true; body: CheckpointBody; via: 'webcrypto' | 'noble' } | { ok: false; code: 'MALFORMED' | 'KEY_MISMATCH' | 'SIGNATURE_INVALID' }
> {
  let body: CheckpointBody;
  try {
    body = JSON.parse(checkpoint.signedText);
  } catch {
    return { ok: false, code: 'MALFORMED' };
  }
  if (body.keyId !== (await keyIdOf(spki))) return { ok: false, code: 'KEY_MISMATCH' };
  const signed = await verifyEd25519(spki, new TextEncoder().encode(checkpoint.signedText), base64ToBytes(checkpoint.signature), force);
  const fieldsAgree =
    canonicalize(body) === checkpoint.signedText &&
    body.eventCount === checkpoint.eventCount &&
    body.merkleRoot === checkpoint.merkleRoot &&
    body.sequence === checkpoint.sequence;
  return signed.valid && fieldsAgree ? { ok: true, body, via: signed.via } : { ok: false, code: 'SIGNATURE_INVALID' };
}

/** Checks a receipt's proof against the council's published audit key (PEM). */
export async function verifyReceiptInBrowser(
  data: BrowserReceiptProof | null,
  publicKeyPem: string,
  expectedHash: string,
  force?: 'noble',
): Promise<ProofVerdict> {
  if (!data) return { ok: false, code: 'RECEIPT.NOT_IN_LOG' };
  if (typeof data.hash !== 'string' || !HEX.test(data.hash) || data.hash !== expectedHash) return { ok: false, code: 'RECEIPT.MALFORMED' };
  const { proof, checkpoint } = data;
  if (!proof || !checkpoint) return { ok: false, code: 'RECEIPT.PROOF_PENDING' };
  if (!Array.isArray(proof.auditPath) || !proof.auditPath.every((h) => typeof h === 'string' && HEX.test(h)))
    return { ok: false, code: 'RECEIPT.MALFORMED' };
  const checked = await checkCheckpointInBrowser(checkpoint, spkiOf(publicKeyPem), force);
  if (!checked.ok)
    return { ok: false, code: checked.code === 'MALFORMED' ? 'RECEIPT.MALFORMED' : (`RECEIPT.CHECKPOINT_${checked.code}` as const) };
  const { body, via } = checked;
  if (proof.treeSize !== body.eventCount) return { ok: false, code: 'RECEIPT.PROOF_INVALID' };
  const root = await rootFromInclusionProof(proof.leafIndex, proof.treeSize, hexToBytes(data.hash), proof.auditPath.map(hexToBytes));
  if (!root || bytesToHex(root) !== body.merkleRoot) return { ok: false, code: 'RECEIPT.PROOF_INVALID' };
  return { ok: true, leafIndex: proof.leafIndex, treeSize: proof.treeSize, sequence: body.sequence ?? 0, ed25519: via };
}
