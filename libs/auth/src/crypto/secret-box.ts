import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** A 256-bit key for one purpose, derived from a platform secret (HKDF-SHA256). */
export function purposeKey(secret: string | Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'civic-ledger', purpose, 32));
}

/**
 * The keys of one purpose, newest first: the first seals and hashes; each of them opens and
 * matches. The others are derived from secrets being rotated out (JWT_SECRET_PREVIOUS), so that
 * what they sealed or hashed (printed codes, residents' choices) keeps working after a rotation.
 */
export type KeyRing = readonly [Buffer, ...Buffer[]];

/** The key ring of a purpose from the secrets, the current one first. */
export function purposeKeyRing(secrets: readonly [string | Buffer, ...(string | Buffer)[]], purpose: string): KeyRing {
  const [current, ...previous] = secrets;
  return [purposeKey(current, purpose), ...previous.map((secret) => purposeKey(secret, purpose))];
}

/**
 * Seals and opens short strings with AES-256-GCM: a sealed value is unreadable and unforgeable
 * without the key. Seals under the first key of a ring, opens under any of them.
 */
export class SecretBox {
  private readonly keys: KeyRing;

  constructor(keys: Buffer | KeyRing) {
    this.keys = Buffer.isBuffer(keys) ? [keys] : keys;
  }

  seal(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The text sealed in `value`, or undefined for an altered, foreign or malformed one. */
  open(value: string): string | undefined {
    const raw = Buffer.from(value, 'base64url');
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        // Not sealed under this key: the next, if any.
      }
    }
    return undefined;
  }
}

/** A keyed hash (HMAC-SHA256, hex): what a leaked table holds instead of an address or a code. */
export const keyedHash = (key: Buffer, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** Compares two keyed hashes in constant time. */
export const sameHash = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Whether `stored` is the keyed hash of `text` under any key of the ring (constant time for each). */
export const matchesKeyedHash = (keys: KeyRing, text: string, stored: string): boolean =>
  keys.some((key) => sameHash(keyedHash(key, text), stored));
