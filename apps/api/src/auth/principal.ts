import type { SignInMethod } from '@civic/auth';

/** The roles of DESIGN.md (a councillor is a reviewer who may also ratify and publish). A token carries exactly one. */
export const ROLES = ['resident', 'reviewer', 'councillor', 'administrator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified token: a subject id, a role, and how they signed in. */
export interface Principal {
  readonly subject: string;
  readonly role: Role;
  readonly method: SignInMethod;
  /** The server-side session the token names; none for a provider's access token. */
  readonly sessionId?: string;
  /** The provider's `iss|sub` for an OpenID Connect sign-in. */
  readonly providerSubject?: string;
  /** The kiosk a kiosk session was started at. */
  readonly kioskId?: string;
  /** A provider's access token: how signOut refuses it until it expires. */
  readonly providerToken?: { readonly hash: string; readonly expiresAt: number };
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
