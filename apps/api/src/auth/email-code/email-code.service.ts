import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { keyedHash, type KeyRing, type SignInCodeStore } from '@civic/auth';
import type { AppConfig } from '@civic/config';
import { ApiError } from '../../errors/api-error';
import { APP_CONFIG, AUTH_CLOCK, PURPOSE_KEYS, SIGN_IN_CODES } from '../../tokens';
import type { AuthClock } from '../auth-clock';
import { SessionService, type StartedSession } from '../session.service';
import { SignInOutbox, SIGN_IN_CODE_JOB } from './sign-in-outbox';

/** A code lives ten minutes; five wrong tries lock it. */
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_WRONG_TRIES = 5;

/**
 * Residents sign in with a six-digit code e-mailed to the address on the register. Asking for a
 * code does the same work whatever was typed (a challenge and a queued job, in one transaction)
 * and answers at once; finding the resident, making the code and sending it happen in the outbox
 * worker. So neither the answer nor its timing tells whether an address is on the register, and
 * a challenge for an unknown address counts wrong tries, expires and locks like any other.
 */
@Injectable()
export class EmailCodeService {
  private readonly limitKey: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
    @Inject(SIGN_IN_CODES) private readonly codes: SignInCodeStore,
    @Inject(PURPOSE_KEYS) keys: (purpose: string) => KeyRing,
    private readonly sessions: SessionService,
    private readonly outbox: SignInOutbox,
  ) {
    // Rate limits count under the current key only: a rotation starts their windows afresh.
    this.limitKey = keys('sign-in-code/rate-limit')[0];
  }

  async request(identifier: string, clientKey: string): Promise<{ challenge: string; expiresAt: Date }> {
    const typed = identifier.trim();
    if (typed.length === 0 || typed.length > 254)
      throw new ApiError('INPUT.INVALID', 'Give the e-mail address or the reference on the register.');
    if (!this.config.RESIDENT_SIGN_IN_EMAIL_CODE)
      throw new ApiError('AUTH.FORBIDDEN', 'Signing in with an e-mailed code is not offered here.');
    const now = this.clock.now();
    const challenge = randomBytes(24).toString('base64url');
    const expiresAt = now + CODE_TTL_MS;
    const opened = await this.codes.openChallenge({
      id: challenge,
      addressHash: keyedHash(this.limitKey, typed.toLowerCase()),
      clientHash: keyedHash(this.limitKey, clientKey),
      now,
      expiresAt,
      windowMs: 3600_000,
      perAddress: this.config.SIGN_IN_CODE_PER_ADDRESS_PER_HOUR,
      perClient: this.config.SIGN_IN_CODE_PER_CLIENT_PER_HOUR,
      job: { kind: SIGN_IN_CODE_JOB, payloadSealed: this.outbox.seal({ challenge, identifier: typed }) },
    });
    if (opened !== 'opened') throw new ApiError('RATE_LIMITED', 'Too many codes asked for: wait a while and try again.');
    this.outbox.kick();
    return { challenge, expiresAt: new Date(expiresAt) };
  }

  async signIn(challengeId: string, code: string): Promise<StartedSession> {
    if (!/^\d{6}$/.test(code)) throw new ApiError('INPUT.INVALID', 'The code is six digits.');
    if (challengeId.length === 0 || challengeId.length > 64)
      throw new ApiError('INPUT.INVALID', 'The challenge is the one requestSignInCode gave.');
    if (!this.config.RESIDENT_SIGN_IN_EMAIL_CODE)
      throw new ApiError('AUTH.FORBIDDEN', 'Signing in with an e-mailed code is not offered here.');
    const now = this.clock.now();
    const found = await this.codes.challenge(challengeId);
    if (!found || found.usedAt !== null)
      throw new ApiError('AUTH.CODE_INVALID', 'This code is not right: check the e-mail, or ask for a new code.');
    if (now >= found.expiresAt) throw new ApiError('AUTH.CODE_EXPIRED', 'This code has expired: ask for a new one.');
    if (found.attempts >= MAX_WRONG_TRIES) throw new ApiError('AUTH.CODE_LOCKED', 'Too many wrong tries: ask for a new code.');
    if (!found.codeHash || !this.outbox.matchesCode(challengeId, code, found.codeHash)) {
      const tries = await this.codes.wrongAttempt(challengeId);
      if (tries >= MAX_WRONG_TRIES) throw new ApiError('AUTH.CODE_LOCKED', 'Too many wrong tries: ask for a new code.');
      throw new ApiError('AUTH.CODE_INVALID', 'This code is not right: check the e-mail, or ask for a new code.');
    }
    const reference = found.subjectSealed ? this.outbox.openSubject(found.subjectSealed) : undefined;
    if (!reference || !(await this.codes.consume(challengeId, now, MAX_WRONG_TRIES))) {
      throw new ApiError('AUTH.CODE_INVALID', 'This code is not right: check the e-mail, or ask for a new code.');
    }
    return this.sessions.start({ subject: reference, role: 'resident', method: 'email-code' });
  }
}
