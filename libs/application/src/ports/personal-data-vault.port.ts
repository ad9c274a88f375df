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
}
