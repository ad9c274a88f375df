import type Database from 'better-sqlite3';
import { openDatabase } from '../crypto/open-database';
import type { ActivePollCard, PollCardStore, StoredPollCard } from './poll-card-store.port';

/** Printed voting codes in the vault's file of one node (HMAC bound to the fund and the resident). */
export class SqlitePollCards implements PollCardStore {
  private readonly db: Database.Database;

  constructor(options: { path: string }) {
    this.db = openDatabase(
      options.path,
      `
      CREATE TABLE IF NOT EXISTS poll_cards (
        fund_id TEXT NOT NULL, resident_id TEXT NOT NULL, code_hash TEXT NOT NULL, issued_at INTEGER NOT NULL, revoked_at INTEGER,
        PRIMARY KEY (fund_id, resident_id));
      CREATE INDEX IF NOT EXISTS poll_cards_by_resident ON poll_cards (resident_id);
      CREATE TABLE IF NOT EXISTS poll_card_failures (reference_hash TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS poll_card_failures_by_reference ON poll_card_failures (reference_hash, at);`,
      { secureDelete: true },
    );
  }

  async issueAll(fundId: string, cards: readonly { residentId: string; codeHash: string }[], now: number): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO poll_cards (fund_id, resident_id, code_hash, issued_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (fund_id, resident_id) DO UPDATE SET code_hash = excluded.code_hash, issued_at = excluded.issued_at, revoked_at = NULL`,
    );
    this.db.transaction(() => {
      for (const card of cards) upsert.run(fundId, card.residentId, card.codeHash, now);
    })();
  }

  async revoke(fundId: string, residentId: string, now: number): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE poll_cards SET revoked_at = ? WHERE fund_id = ? AND resident_id = ? AND revoked_at IS NULL')
        .run(now, fundId, residentId).changes === 1
    );
  }

  async activeFor(residentId: string): Promise<ActivePollCard[]> {
    return this.db
      .prepare<[string], { fund_id: string; code_hash: string }>(
        'SELECT fund_id, code_hash FROM poll_cards WHERE resident_id = ? AND revoked_at IS NULL',
      )
      .all(residentId)
      .map((row) => ({ fundId: row.fund_id, codeHash: row.code_hash }));
  }

  async recordFailure(referenceHash: string, now: number): Promise<void> {
    this.db.prepare('INSERT INTO poll_card_failures (reference_hash, at) VALUES (?, ?)').run(referenceHash, now);
  }

  async failuresSince(referenceHash: string, since: number): Promise<number> {
    return (
      this.db.prepare('SELECT count(*) AS n FROM poll_card_failures WHERE reference_hash = ? AND at > ?').get(referenceHash, since) as {
        n: number;
      }
    ).n;
  }

  /** Every stored card as it is. */
  rows(): StoredPollCard[] {
    return this.db
      .prepare<[], { fund_id: string; resident_id: string; code_hash: string; issued_at: number; revoked_at: number | null }>(
        'SELECT * FROM poll_cards',
      )
      .all()
      .map((r) => ({
        fundId: r.fund_id,
        residentId: r.resident_id,
        codeHash: r.code_hash,
        issuedAt: r.issued_at,
        revokedAt: r.revoked_at,
      }));
  }

  /** Deletes every card and counted failure (`secure_delete`). */
  clear(): void {
    this.db.exec('DELETE FROM poll_cards; DELETE FROM poll_card_failures;');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
