import type Database from 'better-sqlite3';
import { openDatabase } from '../crypto/open-database';

/**
 * Printed voting codes, one per resident and fund, kept only as keyed hashes (HMAC bound to
 * the fund and the resident), in the vault's file. Issuing again replaces a resident's code;
 * revoking ends it. Failed sign-ins are counted per keyed hash of the reference typed, whether
 * or not it is on the register.
 */
export class SqlitePollCards {
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

  /** Issues (or replaces) the codes of many residents of a fund at once. */
  issueAll(fundId: string, cards: readonly { residentId: string; codeHash: string }[], now: number): void {
    const upsert = this.db.prepare(
      `INSERT INTO poll_cards (fund_id, resident_id, code_hash, issued_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (fund_id, resident_id) DO UPDATE SET code_hash = excluded.code_hash, issued_at = excluded.issued_at, revoked_at = NULL`,
    );
    this.db.transaction(() => {
      for (const card of cards) upsert.run(fundId, card.residentId, card.codeHash, now);
    })();
  }

  revoke(fundId: string, residentId: string, now: number): boolean {
    return (
      this.db
        .prepare('UPDATE poll_cards SET revoked_at = ? WHERE fund_id = ? AND resident_id = ? AND revoked_at IS NULL')
        .run(now, fundId, residentId).changes === 1
    );
  }

  /** The resident's codes in force, by fund. */
  activeFor(residentId: string): { fundId: string; codeHash: string }[] {
    return this.db
      .prepare<[string], { fund_id: string; code_hash: string }>(
        'SELECT fund_id, code_hash FROM poll_cards WHERE resident_id = ? AND revoked_at IS NULL',
      )
      .all(residentId)
      .map((row) => ({ fundId: row.fund_id, codeHash: row.code_hash }));
  }

  recordFailure(referenceHash: string, now: number): void {
    this.db.prepare('INSERT INTO poll_card_failures (reference_hash, at) VALUES (?, ?)').run(referenceHash, now);
  }

  failuresSince(referenceHash: string, since: number): number {
    return (
      this.db.prepare('SELECT count(*) AS n FROM poll_card_failures WHERE reference_hash = ? AND at > ?').get(referenceHash, since) as {
        n: number;
      }
    ).n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
