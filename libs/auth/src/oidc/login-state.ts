import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What a sign-in keeps between the redirect to the provider and its callback. */
export interface LoginState {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Epoch ms after which the callback is refused. */
  readonly expiresAt: number;
}

/**
 * Seals the login state into a cookie value (AES-256-GCM under a key derived from the API's
 * token secret): the browser carries it to the callback, so any API node can finish a sign-in
 * another began, and neither the browser nor anyone on the way reads the PKCE verifier or
 * forges a state.
 */
export class LoginStateSeal {
  private readonly key: Buffer;

  constructor(secret: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'civic-ledger', `login-state:${purpose}`, 32));
  }

  seal(state: LoginState): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The state sealed in `value`, or undefined for a forged, altered or expired one. */
  open(value: string | undefined, now: number): LoginState | undefined {
    if (!value) return undefined;
    try {
      const raw = Buffer.from(value, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const state = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as LoginState;
      return typeof state.expiresAt === 'number' && now < state.expiresAt ? state : undefined;
    } catch {
      return undefined;
    }
  }
}
