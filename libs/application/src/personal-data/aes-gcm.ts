import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { PersonalData, SealedPersonalData } from '@civic/domain';

/** The format of a sealed value: version byte, 96-bit IV, 128-bit tag, then the ciphertext. */
const VERSION = 1;
export const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** A fresh random 256-bit key. */
export const newKey = (): Buffer => randomBytes(KEY_BYTES);

/**
 * `count` fresh random buffers of `bytes` each, cut from one draw of the generator: a register's
 * import seals thousands at once, and one call per key and per IV cost more than the sealing.
 */
export const randomBuffers = (count: number, bytes: number): Buffer[] => {
  const all = randomBytes(count * bytes);
  return Array.from({ length: count }, (_, i) => all.subarray(i * bytes, (i + 1) * bytes));
};

/**
 * AES-256-GCM with a random 96-bit IV and the resident id as associated data, so a sealed
 * value copied into another resident's stream does not open. The key id is the resident id:
 * one key per resident.
 */
export const sealWith = (key: Buffer, residentId: string, data: PersonalData, iv: Buffer = randomBytes(IV_BYTES)): SealedPersonalData => {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(residentId, 'utf8'));
  // GCM gives as many bytes as it takes, all from `update`: the sealed value is laid out in one
  // buffer rather than concatenated twice (a register's import seals every resident).
  const ciphertext = cipher.update(JSON.stringify(data), 'utf8');
  const tail = cipher.final();
  const sealed = Buffer.allocUnsafe(1 + IV_BYTES + TAG_BYTES + ciphertext.length + tail.length);
  sealed[0] = VERSION;
  iv.copy(sealed, 1);
  cipher.getAuthTag().copy(sealed, 1 + IV_BYTES);
  ciphertext.copy(sealed, 1 + IV_BYTES + TAG_BYTES);
  tail.copy(sealed, 1 + IV_BYTES + TAG_BYTES + ciphertext.length);
  return { keyId: residentId, ciphertext: sealed.toString('base64') };
};

/** Opens a sealed value; throws if it was altered, sealed for another resident or under another key. */
export const openWith = (key: Buffer, residentId: string, sealed: SealedPersonalData): PersonalData => {
  const bytes = Buffer.from(sealed.ciphertext, 'base64');
  if (sealed.keyId !== residentId || bytes[0] !== VERSION || bytes.length < 1 + IV_BYTES + TAG_BYTES) {
    throw new Error('This sealed value is not one of this resident.');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(Buffer.from(residentId, 'utf8'));
  decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
  const plain = Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as PersonalData;
};
