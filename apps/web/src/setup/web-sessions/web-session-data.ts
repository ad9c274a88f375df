import type { Role } from '../page-guard';

/** How a web session's principal signed in. */
export type SignInMethod = 'dev' | 'email' | 'pollcard' | 'oidc' | 'kiosk';

/** Who is signed in to a web session, and how they signed in. */
export interface WebPrincipal {
  /** A resident's register reference, or a member of staff's name at the identity provider. */
  readonly subject: string;
  readonly role: Role;
  readonly method: SignInMethod;
  /** The API's bearer token: kept on the server, never sent to the browser. */
  readonly apiToken: string;
}

/** A device in kiosk mode: what the kiosk's pages need, and the API's token for the device (kept on the server). */
export interface KioskDevice {
  readonly kioskId: string;
  readonly fundId: string;
  readonly place: string;
  readonly device: string;
}

export interface SessionData {
  /** The form token of this session (synchroniser pattern). */
  readonly csrf: string;
  readonly principal?: WebPrincipal;
  /** Set on a device in kiosk mode: it outlives each resident's sign-in there, until an officer ends it. */
  readonly kiosk?: KioskDevice;
}
