import { purposeKeyRing, SecretBox } from '../crypto/secret-box';

/** What a sign-in keeps between the redirect to the provider and its callback. */
export interface LoginState {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Epoch ms after which the callback is refused. */
  readonly expiresAt: number;
  /** The path of the web app to return to after signing in (a path of this site only). */
  readonly back?: string;
}

/**
 * Seals the login state into a cookie value (AES-256-GCM under a key derived from the API's
 * token secret): the browser carries it to the callback, so any API node can finish a sign-in
 * another began, and neither the browser nor anyone on the way reads the PKCE verifier or
 * forges a state.
 */
export class LoginStateSeal {
  private readonly box: SecretBox;

  /** `secrets`: the current one first, which seals; a previous one (a rotation) still opens. */
  constructor(secrets: readonly [string, ...string[]], purpose: string) {
    this.box = new SecretBox(purposeKeyRing(secrets, `login-state:${purpose}`));
  }

  seal(state: LoginState): string {
    return this.box.seal(JSON.stringify(state));
  }

  /** The state sealed in `value`, or undefined for a forged, altered or expired one. */
  open(value: string | undefined, now: number): LoginState | undefined {
    const text = value ? this.box.open(value) : undefined;
    if (!text) return undefined;
    const state = JSON.parse(text) as LoginState;
    return typeof state.expiresAt === 'number' && now < state.expiresAt ? state : undefined;
  }
}
