import { newKey } from './aes-gcm';
import { KeyedVault, type KeyTable } from './keyed-vault';

class InMemoryKeyTable implements KeyTable {
  private readonly keys = new Map<string, Buffer>();
  private readonly destroyed = new Set<string>();

  get(residentId: string): Buffer | undefined {
    return this.keys.get(residentId);
  }

  getOrCreate(residentId: string): Buffer | undefined {
    if (this.destroyed.has(residentId)) return undefined;
    let key = this.keys.get(residentId);
    if (!key) this.keys.set(residentId, (key = newKey()));
    return key;
  }

  createNew(residentIds: readonly string[], keys: readonly Buffer[]): Map<string, Buffer> {
    const created = new Map<string, Buffer>();
    residentIds.forEach((residentId, i) => {
      if (this.destroyed.has(residentId) || this.keys.has(residentId)) return;
      this.keys.set(residentId, keys[i]);
      created.set(residentId, keys[i]);
    });
    return created;
  }

  discard(residentIds: readonly string[]): void {
    for (const residentId of residentIds) {
      this.keys.get(residentId)?.fill(0);
      this.keys.delete(residentId);
    }
  }

  destroy(residentId: string): void {
    this.keys.get(residentId)?.fill(0);
    this.keys.delete(residentId);
    this.destroyed.add(residentId);
  }
}

/** The vault for unit tests: keys in memory, gone with the process. Never for a deployment. */
export class InMemoryPersonalDataVault extends KeyedVault {
  constructor() {
    super(new InMemoryKeyTable());
  }
}
