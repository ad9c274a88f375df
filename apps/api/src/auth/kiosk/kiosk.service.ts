import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AssistedAt } from '@civic/domain';
import { keyedHash, matchesKeyedHash, type KeyRing } from '@civic/auth';
import { WrongExpectedVersionError, type EventStore } from '@civic/event-store';
import { ApiError } from '../../errors/api-error';
import { FundReader } from '../../funds/fund.reader';
import { AUTH_CLOCK, EVENT_STORE, PURPOSE_KEYS } from '../../tokens';
import { appendAccessEvents } from '../access-events';
import type { AuthClock } from '../auth-clock';
import { PollCardService } from '../poll-card/poll-card.service';
import type { Principal } from '../principal';
import { SessionService, type StartedSession } from '../session.service';

/** A device in kiosk mode: the officer who switched it on, for which fund, where. Times are epoch milliseconds. */
export interface KioskRecord {
  readonly kioskId: string;
  readonly fundId: string;
  readonly place: string;
  /** The officer's subject (their name at the identity provider) and role. */
  readonly officer: string;
  readonly officerRole: string;
  readonly startedAt: number;
  readonly endedAt?: number;
}

const streamOf = (kioskId: string) => `kiosk-${kioskId}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The longest place name a kiosk records (a library's name and branch). */
export const MAX_KIOSK_PLACE = 200;

/** A kiosk just switched on, with the token only its device holds. */
export interface StartedKiosk {
  readonly kiosk: KioskRecord;
  readonly device: string;
}

/**
 * Assisted voting at a library or community centre: an officer switches a device to kiosk mode
 * for a fund and a place (recorded as KioskStarted: who, where, when), and receives a token for
 * the device alone (the officer's own session is no part of it). Each resident then signs in at
 * the device with their poll card for that fund, into a kiosk session (two minutes idle); each
 * ballot cast in it carries the kiosk's officer and place. Ending the kiosk takes the officer
 * (or an administrator) signed in again, and ends every resident session still open at it.
 *
 * A kiosk's state is its stream (KioskStarted, then KioskEnded or nothing), read from the event
 * store at each use, so every node sharing the store knows every kiosk, and one ended through
 * any node is ended on all. The device's token names its kiosk and carries a keyed hash of it
 * (only the API can make one); a kiosk session keeps its kiosk in the shared sessions' store.
 */
@Injectable()
export class KioskService {
  private readonly deviceKeys: KeyRing;

  constructor(
    @Inject(PURPOSE_KEYS) keys: (purpose: string) => KeyRing,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
    private readonly funds: FundReader,
    private readonly pollCards: PollCardService,
    private readonly sessions: SessionService,
  ) {
    this.deviceKeys = keys('kiosk/device');
  }

  async start(fundId: string, typedPlace: string, officer: Principal): Promise<StartedKiosk> {
    const place = typedPlace.trim();
    if (place.length === 0 || place.length > MAX_KIOSK_PLACE)
      throw new ApiError('INPUT.INVALID', `The place must be between 1 and ${MAX_KIOSK_PLACE} characters.`);
    const fund = fundId.length <= 100 ? this.funds.get(fundId) : undefined;
    if (!fund) throw new ApiError('NOT_FOUND', 'There is no such fund.');
    if (fund.phase !== 'voting_open') throw new ApiError('KIOSK.VOTING_NOT_OPEN', 'A kiosk is for a fund whose voting is open.');
    const now = this.clock.now();
    const kiosk: KioskRecord = {
      kioskId: randomUUID(),
      fundId,
      place,
      officer: officer.subject,
      officerRole: officer.role,
      startedAt: now,
    };
    // Recorded before the device can take a sign-in: no kiosk ballot without its record.
    await appendAccessEvents(this.store, streamOf(kiosk.kioskId), officer, now, [
      ['KioskStarted', { kioskId: kiosk.kioskId, fundId, place, officer: officer.subject }],
    ]);
    return { kiosk, device: `${kiosk.kioskId}.${keyedHash(this.deviceKeys[0], kiosk.kioskId)}` };
  }

  /** The kiosk in force that a device's token names; refused once it ended. */
  async live(device: string): Promise<KioskRecord> {
    if (device.length > 200) throw new ApiError('INPUT.INVALID', 'A device token is never this long.');
    const [kioskId, mac] = device.split('.');
    const genuine = UUID.test(kioskId) && mac !== undefined && matchesKeyedHash(this.deviceKeys, kioskId, mac);
    const kiosk = genuine ? await this.kiosk(kioskId) : undefined;
    if (!kiosk || kiosk.endedAt !== undefined) throw new ApiError('KIOSK.NOT_ACTIVE', 'This device is not in kiosk mode.');
    return kiosk;
  }

  /** A kiosk as its stream tells it: started (by whom, for which fund, where), and ended or not. */
  private async kiosk(kioskId: string): Promise<KioskRecord | undefined> {
    let kiosk: KioskRecord | undefined;
    for (const event of await this.store.readStream(streamOf(kioskId))) {
      const at = Date.parse(String(event.metadata.time ?? event.recordedAt));
      if (event.type === 'KioskStarted') {
        const data = event.data as { fundId: string; place: string; officer: string };
        const officerRole = String(event.metadata.actorRole ?? '');
        kiosk = { kioskId, fundId: data.fundId, place: data.place, officer: data.officer, officerRole, startedAt: at };
      } else if (event.type === 'KioskEnded' && kiosk) kiosk = { ...kiosk, endedAt: at };
    }
    return kiosk;
  }

  /** A resident signs in at the kiosk with the poll card of its fund: a kiosk session, linked to the kiosk. */
  async signIn(device: string, reference: string, code: string): Promise<StartedSession> {
    if (reference.length > 64 || code.length > 64) throw new ApiError('INPUT.INVALID', 'A reference or a code is never this long.');
    const kiosk = await this.live(device);
    return this.pollCards.signIn(reference, code, { fundId: kiosk.fundId, kioskId: kiosk.kioskId });
  }

  /** Ends kiosk mode: the officer who started it, or an administrator; its residents' sessions end with it. */
  async end(device: string, officer: Principal): Promise<boolean> {
    const kiosk = await this.live(device);
    if (officer.subject !== kiosk.officer && officer.role !== 'administrator')
      throw new ApiError('AUTH.FORBIDDEN', 'Only the officer who started this kiosk, or an administrator, may end it.');
    const now = this.clock.now();
    // KioskEnded follows KioskStarted directly or not at all: of two ends at once, the store takes one.
    try {
      await appendAccessEvents(this.store, streamOf(kiosk.kioskId), officer, now, [['KioskEnded', { kioskId: kiosk.kioskId }]], {
        expectedRevision: 0,
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
    await this.sessions.endAtKiosk(kiosk.kioskId);
    return true;
  }

  /** Where a ballot of this caller in a fund is cast: at the kiosk of a kiosk session (in force, for that fund), else online. */
  async assistedAt(principal: Principal, fundId: string): Promise<AssistedAt | undefined> {
    if (principal.method !== 'kiosk') return undefined;
    const kiosk = principal.kioskId ? await this.kiosk(principal.kioskId) : undefined;
    if (!kiosk || kiosk.endedAt !== undefined) throw new ApiError('KIOSK.NOT_ACTIVE', 'This kiosk was switched off.');
    if (kiosk.fundId !== fundId) throw new ApiError('AUTH.FORBIDDEN', 'This kiosk takes ballots for its own fund only.');
    return { kioskId: kiosk.kioskId, officer: kiosk.officer, place: kiosk.place };
  }
}
