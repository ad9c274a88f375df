import { createHmac } from 'node:crypto';
import type { PseudonymScope } from '@civic/domain';

/**
 * Where pseudonym keys come from: one key for the register (resident ids) and one per fund
 * (voter pseudonyms), so the same resident has unlinkable pseudonyms in different funds.
 * A production adapter reads them from a key-management service.
 */
export interface KeyPort {
  keyFor(scope: PseudonymScope): Promise<Buffer>;
}

/**
 * Derives every key from one master secret (HMAC-SHA256 of the scope's name), so a
 * deployment has one secret to guard. Keys are computed once and kept in memory.
 */
export class DerivedKeyPort implements KeyPort {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly masterSecret: Buffer) {
    if (masterSecret.length < 32) throw new Error('The master secret must be at least 32 bytes');
  }

  async keyFor(scope: PseudonymScope): Promise<Buffer> {
    const name = scope.kind === 'register' ? 'register' : `fund:${scope.fundId}`;
    let key = this.cache.get(name);
    if (!key) {
      key = createHmac('sha256', this.masterSecret).update(`civic-ledger/pseudonym-key/${name}`, 'utf8').digest();
      this.cache.set(name, key);
    }
    return key;
  }
}
