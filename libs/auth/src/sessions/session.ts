/** How a caller signed in; carried by every session and every principal. */
export const SIGN_IN_METHODS = ['dev', 'email-code', 'poll-card', 'oidc-staff', 'oidc-resident', 'kiosk', 'provider-token'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** One signed-in session, kept server-side: the token only names it (`sid`). Times are epoch milliseconds. */
export interface SessionRecord {
  readonly id: string;
  readonly subject: string;
  readonly role: string;
  readonly method: SignInMethod;
  /** The identity provider's subject (`iss|sub`) of an OpenID Connect sign-in. */
  readonly providerSubject?: string;
  /** The kiosk a kiosk session was started at (kept with the session, so that every node knows it). */
  readonly kioskId?: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** How long the session lives without a request. */
  readonly idleMs: number;
  readonly absoluteExpiresAt: number;
  readonly revokedAt?: number;
}

/** Why a session no longer admits its token. */
export type SessionRefusal = 'unknown' | 'revoked' | 'idle' | 'expired';

/** Whether a session admits a request at `now`; a reason when it does not. */
export function sessionRefusal(record: SessionRecord | undefined, now: number): SessionRefusal | undefined {
  if (!record) return 'unknown';
  if (record.revokedAt !== undefined) return 'revoked';
  if (now >= record.absoluteExpiresAt) return 'expired';
  if (now >= record.lastSeenAt + record.idleMs) return 'idle';
  return undefined;
}
