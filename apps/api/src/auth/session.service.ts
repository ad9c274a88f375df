import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { sessionRefusal, type SessionRecord, type SessionStore, type SignInMethod } from '@civic/auth';
import type { AppConfig } from '@civic/config';
import { APP_CONFIG, AUTH_CLOCK, SESSION_STORE } from '../tokens';
import type { AuthClock } from './auth-clock';
import { isRole, type Principal, type Role } from './principal';
import { TokenService } from './token.service';

/** A kiosk session ends after two minutes without a request (issue 13). */
const KIOSK_IDLE_MS = 2 * 60_000;
/** A session's last-seen time is written at most this often (a write per request would be waste). */
const TOUCH_EVERY_MS = 15_000;

/** A handoff code is redeemed by the web app right after the redirect. */
const HANDOFF_TTL_MS = 60_000;
const hashOf = (code: string) => createHash('sha256').update(code).digest('base64url');

/** Who signs in, and how. */
export interface SignInRequest {
  readonly subject: string;
  readonly role: Role;
  readonly method: SignInMethod;
  readonly providerSubject?: string;
  /** The kiosk a kiosk session is started at. */
  readonly kioskId?: string;
}

/** A new session and the token that names it. */
export interface StartedSession {
  readonly token: string;
  readonly session: SessionRecord;
}

/**
 * Server-side sessions behind the API's tokens. Every sign-in starts a new session (a new id,
 * never one the client brought); every request reads its session from the store, so a sign-out
 * or a revocation stops the token at the next request whatever the token cache holds; a session
 * ends after `SESSION_IDLE_MINUTES` without a request and `SESSION_ABSOLUTE_HOURS` after sign-in.
 */
@Injectable()
export class SessionService implements OnModuleInit, OnModuleDestroy {
  private purger?: NodeJS.Timeout;
  private readonly endedListeners: ((sessionId: string) => void)[] = [];

  constructor(
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
    private readonly tokens: TokenService,
  ) {}

  async onModuleInit(): Promise<void> {
    const purge = () => void this.store.purge(this.clock.now()).catch(() => undefined);
    purge();
    this.purger = setInterval(purge, 3600_000).unref();
    // Nodes sharing the store hear of each other's revocations (this node's own come back too: closing twice does nothing).
    await this.store.watchRevocations?.((sessionId) => this.ended(sessionId));
  }

  onModuleDestroy(): void {
    clearInterval(this.purger);
  }

  async start(request: SignInRequest): Promise<StartedSession> {
    const now = this.clock.now();
    const session: SessionRecord = {
      id: randomBytes(24).toString('base64url'),
      subject: request.subject,
      role: request.role,
      method: request.method,
      ...(request.providerSubject ? { providerSubject: request.providerSubject } : {}),
      ...(request.kioskId ? { kioskId: request.kioskId } : {}),
      createdAt: now,
      lastSeenAt: now,
      idleMs: request.method === 'kiosk' ? KIOSK_IDLE_MS : this.config.SESSION_IDLE_MINUTES * 60_000,
      absoluteExpiresAt: now + this.config.SESSION_ABSOLUTE_HOURS * 3600_000,
    };
    await this.store.create(session);
    return { token: this.tokens.sign({ sub: session.subject, role: session.role, sid: session.id }, session.absoluteExpiresAt), session };
  }

  /** The caller of one of the API's own tokens whose session is live; undefined otherwise. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const claims = this.tokens.verify(token);
    if (!claims) return undefined;
    const session = await this.store.find(claims.sid);
    const now = this.clock.now();
    if (sessionRefusal(session, now) || !session || session.subject !== claims.sub || session.role !== claims.role) return undefined;
    if (!isRole(session.role)) return undefined;
    if (now - session.lastSeenAt >= Math.min(TOUCH_EVERY_MS, session.idleMs / 4)) await this.store.touch(session.id, now);
    return {
      subject: session.subject,
      role: session.role,
      method: session.method,
      sessionId: session.id,
      ...(session.providerSubject ? { providerSubject: session.providerSubject } : {}),
      ...(session.kioskId ? { kioskId: session.kioskId } : {}),
    };
  }

  find(sessionId: string): Promise<SessionRecord | undefined> {
    return this.store.find(sessionId);
  }

  /** Ends a session at once (its live connections close with it); false when it had ended already. */
  async end(sessionId: string): Promise<boolean> {
    const ended = await this.store.revoke(sessionId, this.clock.now());
    if (ended) this.ended(sessionId);
    return ended;
  }

  /** Ends every session still open that was started at a kiosk, on every node sharing the sessions' store; how many. */
  async endAtKiosk(kioskId: string): Promise<number> {
    const ended = await this.store.revokeAtKiosk(kioskId, this.clock.now());
    for (const sessionId of ended) this.ended(sessionId);
    return ended.length;
  }

  private ended(sessionId: string): void {
    for (const listener of this.endedListeners) listener(sessionId);
  }

  /** Calls `listener` with each session this node ends, and each that another node sharing the store ends. */
  onEnded(listener: (sessionId: string) => void): void {
    this.endedListeners.push(listener);
  }

  /** Refuses a bearer token the API did not issue (a provider's access token) until it expires. */
  refuseToken(tokenHash: string, until: number): Promise<void> {
    return this.store.revokeToken(tokenHash, until);
  }

  isTokenRefused(tokenHash: string): Promise<boolean> {
    return this.store.isTokenRevoked(tokenHash, this.clock.now());
  }

  /**
   * A one-time code for a new session's token, which a browser sign-in's redirect carries to the
   * web app (never the token itself); `redeem` gives the token once, within a minute.
   */
  async handoff(token: string): Promise<string> {
    const code = randomBytes(24).toString('base64url');
    await this.store.saveHandoff(hashOf(code), token, this.clock.now() + HANDOFF_TTL_MS);
    return code;
  }

  redeem(code: string): Promise<string | undefined> {
    return this.store.takeHandoff(hashOf(code), this.clock.now());
  }

  now(): number {
    return this.clock.now();
  }
}
