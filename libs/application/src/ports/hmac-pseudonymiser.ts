import { createHmac } from 'node:crypto';
import { normaliseReference, type PseudonymScope, type Pseudonymiser } from '@civic/domain';
import type { KeyPort } from './key.port';

/**
 * The domain's pseudonym port: hex HMAC-SHA256 of the normalised reference under the
 * scope's key. Normalising again here makes it safe whatever the caller passed.
 */
export class HmacPseudonymiser implements Pseudonymiser {
  constructor(private readonly keys: KeyPort) {}

  async pseudonymFor(scope: PseudonymScope, reference: string): Promise<string> {
    const key = await this.keys.keyFor(scope);
    return createHmac('sha256', key).update(normaliseReference(reference), 'utf8').digest('hex');
  }
}
