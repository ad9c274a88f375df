import type { PersonalData, SealedPersonalData } from '@civic/domain';

/**
 * Where residents' personal data is sealed and opened: one random 256-bit key per resident,
 * kept apart from the events. Destroying a resident's key makes every sealed value of theirs
 * unrecoverable (crypto-shredding) while the history stays complete and verifiable.
 */
export interface PersonalDataVault {
  /**
   * Seals personal data under the resident's key, creating the key on first use. Refuses with
   * `RESIDENT.ERASED` for a resident whose key was destroyed: an erased resident gets no new key.
   */
  seal(residentId: string, data: PersonalData): Promise<SealedPersonalData>;
  /**
   * Opens what `seal` gave for the same resident; `undefined` when the key is gone (erased, or
   * never created here). Throws when the value was altered or belongs to another resident.
   */
  open(residentId: string, sealed: SealedPersonalData): Promise<PersonalData | undefined>;
  /** Destroys the resident's key for good, and refuses them a new one. Idempotent. */
  destroy(residentId: string): Promise<void>;
  /**
   * For a register's import: creates keys, in one write, for those of the residents who have
   * none and were never erased, and seals their data under them. Returns only those: a
   * resident left out is known here already (or erased), and goes through `seal` as usual.
   */
  sealNew?(entries: readonly { readonly residentId: string; readonly data: PersonalData }[]): Promise<Map<string, SealedPersonalData>>;
  /**
   * Deletes keys `sealNew` created for residents whose records were then not written. Not an
   * erasure: such a resident may get a key again. A key of an erased resident stays destroyed.
   */
  discardNew?(residentIds: readonly string[]): Promise<void>;
}
