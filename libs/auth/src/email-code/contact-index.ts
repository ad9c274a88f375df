import type Database from 'better-sqlite3';
import { openDatabase } from '../crypto/open-database';
import { keyedHash, SecretBox } from '../crypto/secret-box';

/** A resident the index found: their id, and their reference (kept sealed in the index). */
export interface IndexedResident {
  readonly residentId: string;
  readonly reference: string;
}

/** How addresses are compared: trimmed, lower-cased (what a resident types varies in case). */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/**
 * The keyed-hash index of residents' e-mail addresses, in the vault's file (beside the keys it
 * is erased with): `email_hash` is an HMAC of the normalised address under a key derived from
 * KEY_MASTER_SECRET, so a leaked file gives up no address; the reference the session needs is
 * sealed (AES-GCM) under another. Erasing a resident deletes their row (`secure_delete`).
 */
export class SqliteContactIndex {
  private readonly db: Database.Database;
  private readonly box: SecretBox;
  private readonly upsertAll: (rows: readonly [string, string | null, string][]) => void;
  /** Entries recorded in this turn of the event loop, written together in one transaction. */
  private pending: { row: [string, string | null, string]; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(options: { path: string; hashKey: Buffer; sealKey: Buffer }) {
    this.db = openDatabase(
      options.path,
      `
      CREATE TABLE IF NOT EXISTS resident_contacts (resident_id TEXT PRIMARY KEY, email_hash TEXT, reference_sealed TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS resident_contacts_by_email ON resident_contacts (email_hash);`,
      { secureDelete: true },
    );
    this.box = new SecretBox(options.sealKey);
    this.hash = (email) => keyedHash(options.hashKey, normaliseEmail(email));
    const upsert = this.db.prepare<[string, string | null, string]>(
      `INSERT INTO resident_contacts (resident_id, email_hash, reference_sealed) VALUES (?, ?, ?)
       ON CONFLICT (resident_id) DO UPDATE SET email_hash = excluded.email_hash, reference_sealed = excluded.reference_sealed`,
    );
    const upsertAll = this.db.transaction((rows: readonly [string, string | null, string][]) => rows.forEach((row) => upsert.run(...row)));
    this.upsertAll = (rows) => upsertAll.immediate(rows);
  }

  /** The keyed hash of an address (also what rate limits count requests by). */
  readonly hash: (email: string) => string;

  /**
   * Resolves once the entry is written: with the others recorded in the same turn, in one
   * transaction, so a register imported rows in parallel pays one sync per group, not per row.
   */
  record(entry: { residentId: string; reference: string; email?: string }): Promise<void> {
    const row: [string, string | null, string] = [
      entry.residentId,
      entry.email ? this.hash(entry.email) : null,
      this.box.seal(entry.reference),
    ];
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.writePending());
      this.pending.push({ row, resolve, reject });
    });
  }

  private writePending(): void {
    const batch = this.pending;
    this.pending = [];
    try {
      this.upsertAll(batch.map((p) => p.row));
      batch.forEach((p) => p.resolve());
    } catch (error) {
      batch.forEach((p) => p.reject(error));
    }
  }

  async remove(residentId: string): Promise<void> {
    this.db.prepare('DELETE FROM resident_contacts WHERE resident_id = ?').run(residentId);
  }

  /** The residents whose address this is (several share a family address). */
  async findByEmail(email: string): Promise<IndexedResident[]> {
    const rows = this.db
      .prepare<[string], { resident_id: string; reference_sealed: string }>(
        'SELECT resident_id, reference_sealed FROM resident_contacts WHERE email_hash = ?',
      )
      .all(this.hash(email));
    return rows.flatMap((row) => {
      const reference = this.box.open(row.reference_sealed);
      return reference ? [{ residentId: row.resident_id, reference }] : [];
    });
  }

  /** Every resident the index holds, in no particular order (for printing poll cards). */
  async all(): Promise<IndexedResident[]> {
    const rows = this.db
      .prepare<[], { resident_id: string; reference_sealed: string }>('SELECT resident_id, reference_sealed FROM resident_contacts')
      .all();
    return rows.flatMap((row) => {
      const reference = this.box.open(row.reference_sealed);
      return reference ? [{ residentId: row.resident_id, reference }] : [];
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
