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

const IV_BYTES = 12;

/**
 * Seals and opens short strings with AES-256-GCM: a sealed value is unreadable and unforgeable
 * without the key. Seals under the first key of a ring, opens under any of them.
 */
export class SecretBox {
  private readonly keys: KeyRing;
  /** IVs drawn ahead, many at once: see `iv`. */
  private ivs = Buffer.alloc(0);
  private nextIv = 0;

  constructor(keys: Buffer | KeyRing) {
    this.keys = Buffer.isBuffer(keys) ? [keys] : keys;
  }

  seal(text: string): string {
    const iv = this.iv();
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /**
   * A fresh random 96-bit IV. IVs are public (each is stored with its ciphertext) and need only
   * be unpredictable and never repeat, so they are cut from one draw of 1,024 at a time: a
   * register's import seals a reference per row, and a draw per row cost more than the sealing.
   */
  private iv(): Buffer {
    if (this.nextIv + IV_BYTES > this.ivs.length) {
      this.ivs = randomBytes(IV_BYTES * 1024);
      this.nextIv = 0;
    }
    this.nextIv += IV_BYTES;
    return this.ivs.subarray(this.nextIv - IV_BYTES, this.nextIv);
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
