import { PostgresTables } from '../postgres/postgres-tables';
import type { ActivePollCard, PollCardStore, StoredPollCard } from './poll-card-store.port';

/**
 * Printed voting codes in the schema of the PostgreSQL vault (`VAULT_SCHEMA`), shared by every
 * API node: no node caches a card, so each sign-in reads the cards in force, and a revocation
 * or a new generation through one node holds on the next sign-in through any. Wrong tries are
 * counted in one table for all nodes.
 */
export class PostgresPollCards implements PollCardStore {
  private readonly tables: PostgresTables;

  constructor(options: { connectionString: string; schema: string }) {
    this.tables = new PostgresTables({
      ...options,
      ddl: (schema) => `
        CREATE TABLE IF NOT EXISTS ${schema}.poll_cards (
          fund_id TEXT NOT NULL, resident_id TEXT NOT NULL, code_hash TEXT NOT NULL, issued_at BIGINT NOT NULL, revoked_at BIGINT,
          PRIMARY KEY (fund_id, resident_id));
        CREATE INDEX IF NOT EXISTS poll_cards_by_resident ON ${schema}.poll_cards (resident_id);
        CREATE TABLE IF NOT EXISTS ${schema}.poll_card_failures (reference_hash TEXT NOT NULL, at BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS poll_card_failures_by_reference ON ${schema}.poll_card_failures (reference_hash, at);`,
    });
  }

  private get cards(): string {
    return `${this.tables.schema}.poll_cards`;
  }

  /** Resolves once the tables exist. */
  ready(): Promise<void> {
    return this.tables.whenReady();
  }

  async issueAll(fundId: string, cards: readonly { residentId: string; codeHash: string }[], now: number): Promise<void> {
    // One statement for the whole fund: a register of 300,000 pays one round trip.
    await this.tables.query(
      `INSERT INTO ${this.cards} (fund_id, resident_id, code_hash, issued_at)
       SELECT $1, resident_id, code_hash, $4 FROM unnest($2::text[], $3::text[]) AS c (resident_id, code_hash)
       ON CONFLICT (fund_id, resident_id) DO UPDATE SET code_hash = excluded.code_hash, issued_at = excluded.issued_at, revoked_at = NULL`,
      [fundId, cards.map((c) => c.residentId), cards.map((c) => c.codeHash), now],
    );
  }

  /**
   * Takes in the cards a node kept in its own file before cards were shared: of two cards of a
   * resident for a fund (generated through two nodes), the one issued last stands.
   */
  async adopt(cards: readonly StoredPollCard[]): Promise<void> {
    await this.tables.query(
      `INSERT INTO ${this.cards} AS card (fund_id, resident_id, code_hash, issued_at, revoked_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
       ON CONFLICT (fund_id, resident_id) DO UPDATE SET code_hash = excluded.code_hash, issued_at = excluded.issued_at, revoked_at = excluded.revoked_at
       WHERE excluded.issued_at > card.issued_at`,
      [
        cards.map((c) => c.fundId),
        cards.map((c) => c.residentId),
        cards.map((c) => c.codeHash),
        cards.map((c) => c.issuedAt),
        cards.map((c) => c.revokedAt),
      ],
    );
  }

  async revoke(fundId: string, residentId: string, now: number): Promise<boolean> {
    const { rowCount } = await this.tables.query(
      `UPDATE ${this.cards} SET revoked_at = $1 WHERE fund_id = $2 AND resident_id = $3 AND revoked_at IS NULL`,
      [now, fundId, residentId],
    );
    return rowCount === 1;
  }

  async activeFor(residentId: string): Promise<ActivePollCard[]> {
    const { rows } = await this.tables.query<{ fund_id: string; code_hash: string }>(
      `SELECT fund_id, code_hash FROM ${this.cards} WHERE resident_id = $1 AND revoked_at IS NULL`,
      [residentId],
    );
    return rows.map((row) => ({ fundId: row.fund_id, codeHash: row.code_hash }));
  }

  async recordFailure(referenceHash: string, now: number): Promise<void> {
    await this.tables.query(`INSERT INTO ${this.tables.schema}.poll_card_failures (reference_hash, at) VALUES ($1, $2)`, [
      referenceHash,
      now,
    ]);
  }

  async failuresSince(referenceHash: string, since: number): Promise<number> {
    const { rows } = await this.tables.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.tables.schema}.poll_card_failures WHERE reference_hash = $1 AND at > $2`,
      [referenceHash, since],
    );
    return rows[0].n;
  }

  close(): Promise<void> {
    return this.tables.close();
  }
}
