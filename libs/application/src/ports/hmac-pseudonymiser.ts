import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { normaliseReference, type PseudonymScope, type Pseudonymiser } from '@civic/domain';
import type { KeyPort } from './key.port';

/**
 * The domain's pseudonym port: hex HMAC-SHA256 of the normalised reference under the
 * scope's key. Normalising again here makes it safe whatever the caller passed.
 */
export class HmacPseudonymiser implements Pseudonymiser {
  /** Each key as a key object, made once: an HMAC under raw bytes imports them anew at every call (every resident imported, every ballot). */
  private readonly objects = new WeakMap<Buffer, KeyObject>();

  constructor(private readonly keys: KeyPort) {}

  async pseudonymFor(scope: PseudonymScope, reference: string): Promise<string> {
    return hmacOf(await this.keyObject(scope), reference);
  }

  async pseudonymsFor(scope: PseudonymScope, references: readonly string[]): Promise<string[]> {
    const object = await this.keyObject(scope);
    return references.map((reference) => hmacOf(object, reference));
  }

  private async keyObject(scope: PseudonymScope): Promise<KeyObject> {
    const key = await this.keys.keyFor(scope);
    let object = this.objects.get(key);
    if (!object) this.objects.set(key, (object = createSecretKey(key)));
    return object;
  }
}

function hmacOf(key: KeyObject, reference: string): string {
  return createHmac('sha256', key).update(normaliseReference(reference), 'utf8').digest('hex');
}
