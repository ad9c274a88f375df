import { Inject, Injectable } from '@nestjs/common';
import { SecretBox, type KeyRing } from '@civic/auth';
import { PURPOSE_KEYS } from '../tokens';
import { NOTIFICATION_STORE } from './notification.tokens';
import type { NotificationLanguage, NotificationPreference, NotificationStore } from './notification-store.port';

/**
 * Residents' e-mail choices: whether they want e-mails about voting, and the language of every
 * e-mail to them. The reference is kept sealed beside the choice: a receipt's ballot names its
 * voter only by the fund's pseudonym, which is computed from it.
 */
@Injectable()
export class NotificationPreferences {
  private readonly box: SecretBox;
  /** Per fund, the pseudonym of each opted-in resident computed so far (one keyed hash each, once). */
  private readonly pseudonyms = new Map<string, Map<string, string>>();

  constructor(
    @Inject(NOTIFICATION_STORE) private readonly store: NotificationStore,
    @Inject(PURPOSE_KEYS) keys: (purpose: string) => KeyRing,
  ) {
    this.box = new SecretBox(keys('notifications/reference'));
  }

  get(residentId: string): Promise<NotificationPreference | undefined> {
    return this.store.preference(residentId);
  }

  async set(residentId: string, reference: string, choice: { optedIn: boolean; language: NotificationLanguage }, now: number) {
    const preference = { residentId, ...choice, referenceSealed: this.box.seal(reference), updatedAt: now };
    await this.store.setPreference(preference);
    return preference;
  }

  optedIn(): Promise<NotificationPreference[]> {
    return this.store.optedIn();
  }

  referenceOf(preference: NotificationPreference): string | undefined {
    return this.box.open(preference.referenceSealed);
  }

  /** The opted-in residents by their pseudonym in a fund. */
  async votersOf(fundId: string, pseudonymOf: (reference: string) => Promise<string>): Promise<Map<string, NotificationPreference>> {
    const known = this.pseudonyms.get(fundId) ?? new Map<string, string>();
    this.pseudonyms.set(fundId, known);
    const voters = new Map<string, NotificationPreference>();
    for (const preference of await this.store.optedIn()) {
      let pseudonym = known.get(preference.residentId);
      if (pseudonym === undefined) {
        const reference = this.referenceOf(preference);
        if (reference === undefined) continue;
        pseudonym = await pseudonymOf(reference);
        known.set(preference.residentId, pseudonym);
      }
      voters.set(pseudonym, preference);
    }
    return voters;
  }

  async forget(residentId: string): Promise<void> {
    for (const known of this.pseudonyms.values()) known.delete(residentId);
    await this.store.forget(residentId);
  }
}
