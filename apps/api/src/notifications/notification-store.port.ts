/** The languages an e-mail is written in (the residents' pages' languages). */
export const NOTIFICATION_LANGUAGES = ['en', 'bn'] as const;
export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];

/** The messages the platform sends, one e-mail each. */
export const NOTIFICATION_KINDS = [
  'proposal-accepted',
  'proposal-rejected',
  'proposal-merged',
  'voting-opened',
  'voting-reminder',
  'ballot-receipt',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Public facts a message is written from (titles, amounts, dates), never an address. */
export type NotificationParams = Readonly<Record<string, string | number>>;

/** A message to queue: for a resident (by pseudonymous id), its address looked up only when it is sent. */
export interface NewNotification {
  /** Unique per message ever queued (the event and the recipient): queued twice, it is kept once. */
  readonly key: string;
  readonly kind: NotificationKind;
  readonly residentId: string;
  readonly params: NotificationParams;
}

export interface QueuedNotification extends NewNotification {
  readonly id: number;
  readonly attempts: number;
}

/** A resident's choice: e-mails about voting or not, and the language of every e-mail to them. */
export interface NotificationPreference {
  readonly residentId: string;
  readonly optedIn: boolean;
  readonly language: NotificationLanguage;
  /** The resident's reference, sealed: what a ballot's per-fund pseudonym is computed from. */
  readonly referenceSealed: string;
  readonly updatedAt: number;
}

/** Where the notification reactor stands in the history: `start`, or the position of the last event it handled. */
export type ReactorCheckpoint = string;

/**
 * The durable outbox of e-mail notifications, the reactor's checkpoint and residents'
 * preferences: one SQLite file per node, or tables in PostgreSQL shared by every node.
 */
export interface NotificationStore {
  /** The reactor's checkpoint; undefined before the reactor first ran here. */
  checkpoint(): Promise<ReactorCheckpoint | undefined>;
  /**
   * Queues the messages and moves the checkpoint from `from` to `to`, in one transaction; false
   * (nothing written) when the checkpoint is no longer `from` (another node moved it first).
   */
  advance(from: ReactorCheckpoint | undefined, to: ReactorCheckpoint, messages: readonly NewNotification[], now: number): Promise<boolean>;
  /** Queues messages outside the history's order (reminders); one already queued under its key is kept as it was. */
  enqueue(messages: readonly NewNotification[], now: number): Promise<void>;
  /**
   * Takes up to `limit` messages that are due, leasing them until `leaseUntil`: another worker
   * (another node) skips them meanwhile, and takes them again if this one dies holding them.
   */
  claim(now: number, leaseUntil: number, limit: number): Promise<QueuedNotification[]>;
  /** Marks a message done (sent, or dropped because nobody can receive it): it is never taken again. */
  finish(id: number, now: number, outcome: 'sent' | 'dropped'): Promise<void>;
  /** Gives a claimed message back untried (a worker stopping), for any worker to take at once. */
  release(id: number): Promise<void>;
  /** Puts a message back, to be tried again at `nextAt`. */
  retry(id: number, nextAt: number): Promise<void>;
  /** Messages not yet finished. */
  pending(): Promise<number>;
  preference(residentId: string): Promise<NotificationPreference | undefined>;
  setPreference(preference: NotificationPreference): Promise<void>;
  /** The residents who asked for e-mails about voting. */
  optedIn(): Promise<NotificationPreference[]>;
  /** Forgets a resident (erased): their preference and every message not yet sent to them. */
  forget(residentId: string): Promise<void>;
  close(): Promise<void>;
}
