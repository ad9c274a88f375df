import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** A 256-bit key for one purpose, derived from a platform secret (HKDF-SHA256). */
export function purposeKey(secret: string | Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'civic-ledger', purpose, 32));
}

/** Seals and opens short strings with AES-256-GCM under one key: a sealed value is unreadable and unforgeable without it. */
export class SecretBox {
  constructor(private readonly key: Buffer) {}

  seal(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
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
