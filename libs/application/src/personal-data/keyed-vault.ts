import { reject, type PersonalData, type SealedPersonalData } from '@civic/domain';
import type { PersonalDataVault } from '../ports/personal-data-vault.port';
import { IV_BYTES, KEY_BYTES, openWith, randomBuffers, sealWith } from './aes-gcm';

/** Where the keys live: the one thing the in-memory, SQLite and PostgreSQL vaults do differently. */
export interface KeyTable {
  /** The resident's key, or `undefined`. */
  get(residentId: string): Buffer | undefined | Promise<Buffer | undefined>;
  /** The resident's key, created now if there is none; `undefined` for a resident whose key was destroyed. */
  getOrCreate(residentId: string): Buffer | undefined | Promise<Buffer | undefined>;
  /** Deletes the key so that its bytes are gone, and remembers that it was destroyed. */
  destroy(residentId: string): void | Promise<void>;
  /**
   * Stores `keys[i]` for `residentIds[i]`, in one write, where the resident has no key and was
   * never erased; returns the keys stored, by resident.
   */
  createNew(residentIds: readonly string[], keys: readonly Buffer[]): Map<string, Buffer> | Promise<Map<string, Buffer>>;
  /** Deletes these residents' keys so that their bytes are gone, without remembering them as erased. */
  discard(residentIds: readonly string[]): void | Promise<void>;
}

/** The AES-256-GCM vault over a table of keys. */
export class KeyedVault implements PersonalDataVault {
  constructor(private readonly keys: KeyTable) {}

  async seal(residentId: string, data: PersonalData): Promise<SealedPersonalData> {
    const key = (await this.keys.getOrCreate(residentId)) ?? reject('RESIDENT.ERASED', 'This resident was erased.');
    return sealWith(key, residentId, data);
  }

  async open(residentId: string, sealed: SealedPersonalData): Promise<PersonalData | undefined> {
    const key = await this.keys.get(residentId);
    return key === undefined ? undefined : openWith(key, residentId, sealed);
  }

  async destroy(residentId: string): Promise<void> {
    await this.keys.destroy(residentId);
  }

  async sealNew(
    entries: readonly { readonly residentId: string; readonly data: PersonalData }[],
  ): Promise<Map<string, SealedPersonalData>> {
    const created = await this.keys.createNew(
      entries.map((e) => e.residentId),
      randomBuffers(entries.length, KEY_BYTES),
    );
    const ivs = randomBuffers(entries.length, IV_BYTES);
    const sealed = new Map<string, SealedPersonalData>();
    entries.forEach(({ residentId, data }, i) => {
      const key = created.get(residentId);
      if (key && !sealed.has(residentId)) sealed.set(residentId, sealWith(key, residentId, data, ivs[i]));
    });
    return sealed;
  }

  async discardNew(residentIds: readonly string[]): Promise<void> {
    if (residentIds.length > 0) await this.keys.discard(residentIds);
  }
}
