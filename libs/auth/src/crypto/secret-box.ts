import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** A 256-bit key for one purpose, derived from a platform secret (HKDF-SHA256). */
export function purposeKey(secret: string | Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'civic-ledger', purpose, 32));
}

const IV_BYTES = 12;

/** Seals and opens short strings with AES-256-GCM under one key: a sealed value is unreadable and unforgeable without it. */
export class SecretBox {
  /** IVs drawn ahead, many at once: see `iv`. */
  private ivs = Buffer.alloc(0);
  private nextIv = 0;

  constructor(private readonly key: Buffer) {}

  seal(text: string): string {
    const iv = this.iv();
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
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
    try {
      const raw = Buffer.from(value, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** A keyed hash (HMAC-SHA256, hex): what a leaked table holds instead of an address or a code. */
export const keyedHash = (key: Buffer, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** Compares two keyed hashes in constant time. */
export const sameHash = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
