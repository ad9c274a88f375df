import { reject } from '../common';

/**
 * The canonical form of a resident's reference, so that the same resident maps to the same
 * resident id and voter pseudonym however it was typed: Unicode NFKC (full-width digits and
 * letters become ASCII), every kind of whitespace removed, upper case.
 */
export const normaliseReference = (raw: string): string => raw.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();

const REFERENCE = /^[A-Z0-9/-]{3,40}$/;

/** Whether an already normalised reference has the shape of one. */
export const isValidReference = (normalised: string): boolean => REFERENCE.test(normalised);

/** Normalises and checks a reference, rejecting with `RESIDENT.INVALID_REFERENCE`. */
export const requireReference = (raw: unknown): string => {
  const normalised = typeof raw === 'string' ? normaliseReference(raw) : '';
  return REFERENCE.test(normalised)
    ? normalised
    : reject('RESIDENT.INVALID_REFERENCE', 'A reference is 3 to 40 letters, digits, hyphens or slashes.');
};

/**
 * The port that turns a normalised reference into a pseudonym: an HMAC-SHA256 under a key
 * that the application holds (per fund for voters, one for the register of residents).
 * The domain never computes it, so it stays free of crypto and of keys.
 */
export interface Pseudonymiser {
  /** Hex HMAC-SHA256 of the normalised reference under the key of `scope`. */
  pseudonymFor(scope: PseudonymScope, normalisedReference: string): Promise<string>;
  /**
   * `pseudonymFor` for many references of one scope: the same pseudonyms, in order, with the
   * scope's key fetched once (a register's import names thousands at a time).
   */
  pseudonymsFor(scope: PseudonymScope, normalisedReferences: readonly string[]): Promise<string[]>;
}

/** Whose key: the register's (for resident ids) or one fund's (for voter pseudonyms). */
export type PseudonymScope = { readonly kind: 'register' } | { readonly kind: 'fund'; readonly fundId: string };
