import { isCalendarDate, reject, requireId, type Instant } from '../common';

/**
 * What a resident tells the council about themself. Personal: the application seals it
 * under the resident's own key before any command reaches a decider, and no event ever
 * holds it in clear (see `README.md` in this folder).
 */
export interface PersonalData {
  readonly dateOfBirth: string;
  readonly name?: string;
  readonly address?: string;
  readonly email?: string;
}

/**
 * Personal data as events record it: opaque to the domain. `keyId` names the resident's key
 * in the vault, `ciphertext` is base64 (AES-256-GCM, sealed by the application). Once the
 * key is destroyed the value cannot be opened by anyone: crypto-shredding.
 */
export interface SealedPersonalData {
  readonly keyId: string;
  readonly ciphertext: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/u;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Sealed personal data stays small: a few hundred characters of text, base64 encoded. */
const MAX_CIPHERTEXT = 8_192;

const optionalText = (value: unknown, max: number, field: string): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' && value.trim() !== '' && value.length <= max
    ? value.trim()
    : reject('RESIDENT.INVALID_PERSONAL_DATA', `The ${field} must be at most ${max} characters.`);
};

/** No one on a register was born before this: an earlier date is a typing mistake (1066 for 1966). */
export const EARLIEST_DATE_OF_BIRTH = '1900-01-01';

/**
 * Checks personal data before it is sealed (the application calls this: once sealed, a
 * decider cannot look inside). The date of birth must exist, be from 1900 and not be after
 * `at`. Messages never repeat the value.
 */
export const requirePersonalData = (raw: Partial<Record<keyof PersonalData, unknown>>, at: Instant): PersonalData => {
  const { dateOfBirth } = raw;
  if (!isCalendarDate(dateOfBirth) || dateOfBirth > at.slice(0, 10) || dateOfBirth < EARLIEST_DATE_OF_BIRTH) {
    reject(
      'RESIDENT.INVALID_DATE_OF_BIRTH',
      `The date of birth must be a real date, YYYY-MM-DD, from ${EARLIEST_DATE_OF_BIRTH} and not in the future.`,
    );
  }
  const email = optionalText(raw.email, 254, 'email');
  if (email !== undefined && !EMAIL.test(email)) reject('RESIDENT.INVALID_PERSONAL_DATA', 'The email address is not valid.');
  const personal: PersonalData = {
    dateOfBirth: dateOfBirth as string,
    name: optionalText(raw.name, 200, 'name'),
    address: optionalText(raw.address, 500, 'address'),
    email,
  };
  // Absent fields are left out, so the sealed JSON carries nothing it does not need.
  return Object.fromEntries(Object.entries(personal).filter(([, v]) => v !== undefined)) as unknown as PersonalData;
};

/** Checks the shape of a sealed value; its content is the application's business. */
export const requireSealed = (value: unknown): SealedPersonalData => {
  const sealed = (value ?? {}) as Partial<SealedPersonalData>;
  const { ciphertext } = sealed;
  if (typeof ciphertext !== 'string' || ciphertext.length > MAX_CIPHERTEXT || !BASE64.test(ciphertext)) {
    return reject('RESIDENT.INVALID_PERSONAL_DATA', 'Personal data must come sealed.');
  }
  return { keyId: requireId(sealed.keyId, 'personal data key id'), ciphertext };
};
