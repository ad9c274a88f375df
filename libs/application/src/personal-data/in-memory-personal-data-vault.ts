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
