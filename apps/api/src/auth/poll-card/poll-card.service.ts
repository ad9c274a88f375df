import { Inject, Injectable } from '@nestjs/common';
import {
  keyedHash,
  matchesKeyedHash,
  newPollCardCode,
  normalisePollCardCode,
  type KeyRing,
  type ContactIndex,
  type PollCardStore,
} from '@civic/auth';
import type { AppConfig } from '@civic/config';
import type { EventStore } from '@civic/event-store';
import { statement, type ReadModelDatabase } from '@civic/projections';
import { ApiError } from '../../errors/api-error';
import { FundReader } from '../../funds/fund.reader';
import type { Fund } from '../../funds/fund.types';
import { READ_MODELS } from '../../read-models/read-models.module';
import { APP_CONFIG, AUTH_CLOCK, CONTACT_INDEX, EVENT_STORE, POLL_CARDS, PURPOSE_KEYS } from '../../tokens';
import { appendAccessEvents } from '../access-events';
import type { AuthClock } from '../auth-clock';
import type { Principal } from '../principal';
import { RegisterLookup } from '../register-lookup';
import { SessionService, type StartedSession } from '../session.service';

/** A resident's new printed code with the name and address to send it to. */
export interface IssuedPollCard {
  readonly reference: string;
  readonly name: string;
  readonly address: string;
  readonly code: string;
}

/** Wrong tries allowed per reference per hour, whether or not the reference is on the register. */
export const POLL_CARD_TRIES_PER_HOUR = 10;

/**
 * Printed voting codes ("poll cards") for residents without e-mail and for assisted voting:
 * an administrator with the personal-data permission generates a code per verified resident for
 * a fund and receives them once, with names and addresses, as a CSV for the mailing house (the
 * codes are kept only as keyed hashes, so a lost CSV means generating again, which replaces
 * them). Every opening of personal data is an event: who, when, how many residents.
 */
@Injectable()
export class PollCardService {
  private readonly codeKeys: KeyRing;
  private readonly limitKey: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
    @Inject(POLL_CARDS) private readonly cards: PollCardStore,
    @Inject(CONTACT_INDEX) private readonly contacts: ContactIndex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    @Inject(PURPOSE_KEYS) keys: (purpose: string) => KeyRing,
    private readonly funds: FundReader,
    private readonly register: RegisterLookup,
    private readonly sessions: SessionService,
  ) {
    this.codeKeys = keys('poll-card');
    // Wrong tries count under the current key only: a rotation starts their hour afresh.
    this.limitKey = keys('poll-card/rate-limit')[0];
  }

  /** What a card's keyed hash is taken of: its code bound to its fund and resident. */
  private hashed(fundId: string, residentId: string, code: string): string {
    return `${fundId}:${residentId}:${code}`;
  }

  /** Generates (or replaces) the codes of every verified resident for a fund: the mailing house's CSV. */
  async generate(fundId: string, actor: Principal): Promise<{ csv: string; residents: number }> {
    const { fund, cards } = await this.issue(fundId, actor, 'poll-card-csv');
    const lines = ['reference,name,address,fund,code'];
    for (const card of cards) lines.push([card.reference, card.name, card.address, fund.name, card.code].map(csvCell).join(','));
    return { csv: `${lines.join('\n')}\n`, residents: cards.length };
  }

  /**
   * Generates (or replaces) the codes of every verified resident for a fund and gives them with
   * each resident's name and address, for a CSV or printed letters (`purpose`): the opening of
   * personal data is recorded (PersonalDataOpened) before the codes take effect.
   */
  async issue(fundId: string, actor: Principal, purpose: string): Promise<{ fund: Fund; cards: IssuedPollCard[] }> {
    const fund = this.funds.get(fundId);
    if (!fund) throw new ApiError('NOT_FOUND', 'No fund has this id.');
    this.requireExporter(actor);
    const cards: IssuedPollCard[] = [];
    const issued: { residentId: string; codeHash: string }[] = [];
    const verified = statement(this.readModels.db, `SELECT status FROM register WHERE resident_id = ?`);
    for (const { residentId, reference } of await this.contacts.all()) {
      if ((verified.get(residentId) as { status: string } | undefined)?.status !== 'verified') continue;
      const resident = await this.register.resident(residentId, reference);
      if (!resident) continue;
      const code = newPollCardCode();
      issued.push({ residentId, codeHash: keyedHash(this.codeKeys[0], this.hashed(fundId, residentId, code)) });
      cards.push({ reference, name: resident.personal.name ?? '', address: resident.personal.address ?? '', code });
    }
    const now = this.clock.now();
    // Recorded before the codes take effect and the data leaves: an opening is never unrecorded.
    await appendAccessEvents(this.store, `pollCards-${fundId}`, actor, now, [
      ['PersonalDataOpened', { purpose, fundId, residents: issued.length, fields: ['reference', 'name', 'address'] }],
      ['PollCardsIssued', { fundId, residents: issued.length }],
    ]);
    await this.cards.issueAll(fundId, issued, now);
    return { fund, cards };
  }

  async revoke(fundId: string, typedReference: string, actor: Principal): Promise<boolean> {
    if (typedReference.length > 64) throw new ApiError('INPUT.INVALID', 'A reference is at most 40 characters.');
    if (!this.funds.get(fundId)) throw new ApiError('NOT_FOUND', 'No fund has this id.');
    const resident = await this.register.byReference(typedReference);
    if (!resident) throw new ApiError('NOT_FOUND', 'No resident on the register has this reference.');
    if (!(await this.cards.revoke(fundId, resident.residentId, this.clock.now()))) return false;
    await appendAccessEvents(this.store, `pollCards-${fundId}`, actor, this.clock.now(), [
      ['PollCardRevoked', { fundId, residentId: resident.residentId }],
    ]);
    return true;
  }

  /**
   * Signs a resident in with their reference and printed code; one answer for every refusal. At a
   * kiosk (`at`), only a code for the kiosk's fund admits, and the session is a kiosk session.
   */
  async signIn(typedReference: string, typedCode: string, at?: { fundId: string; kioskId: string }): Promise<StartedSession> {
    if (typedReference.length > 64 || typedCode.length > 64)
      throw new ApiError('INPUT.INVALID', 'A reference or a code is never this long.');
    if (!this.config.RESIDENT_SIGN_IN_POLL_CARD)
      throw new ApiError('AUTH.FORBIDDEN', 'Signing in with a printed voting code is not offered here.');
    const now = this.clock.now();
    const referenceHash = keyedHash(this.limitKey, this.register.normalise(typedReference) ?? typedReference.trim());
    if ((await this.cards.failuresSince(referenceHash, now - 3600_000)) >= POLL_CARD_TRIES_PER_HOUR) {
      throw new ApiError('AUTH.CODE_LOCKED', 'Too many wrong tries for this reference: try again in an hour, or ask for help.');
    }
    const code = normalisePollCardCode(typedCode);
    const reference = typedReference.trim().toUpperCase();
    const residentId = reference.length > 0 && reference.length <= 40 ? await this.register.residentId(reference) : '';
    const match = code
      ? (await this.cards.activeFor(residentId)).find(
          (card) =>
            (!at || card.fundId === at.fundId) &&
            matchesKeyedHash(this.codeKeys, this.hashed(card.fundId, residentId, code), card.codeHash),
        )
      : undefined;
    const resident = match ? await this.register.byReference(reference) : undefined;
    if (!resident) {
      await this.cards.recordFailure(referenceHash, now);
      throw new ApiError('AUTH.CODE_INVALID', 'This reference and code do not match: check the letter.');
    }
    return this.sessions.start({
      subject: resident.reference,
      role: 'resident',
      ...(at ? { method: 'kiosk', kioskId: at.kioskId } : { method: 'poll-card' }),
    });
  }

  private requireExporter(actor: Principal): void {
    if (!this.config.PERSONAL_DATA_EXPORTERS.includes(actor.subject)) {
      throw new ApiError(
        'AUTH.FORBIDDEN',
        "Opening residents' personal data is a permission of its own (PERSONAL_DATA_EXPORTERS): no role has it by default.",
      );
    }
  }
}

/** One CSV cell (RFC 4180), with a leading =, +, - or @ neutralised so a spreadsheet never runs it as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
