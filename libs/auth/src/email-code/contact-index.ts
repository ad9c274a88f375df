import type Database from 'better-sqlite3';
import { BackgroundCheckpoint } from '@civic/event-store-sqlite';
import { openDatabase } from '../crypto/open-database';
import {
  ContactCodec,
  TurnBatcher,
  type ContactEntry,
  type ContactIndex,
  type ContactIndexKeys,
  type ContactRow,
  type IndexedResident,
} from './contact-index.port';

/**
 * The contact index of one node, in the vault's file (beside the keys it is erased with):
 * `email_hash` is an HMAC of the normalised address under a key derived from KEY_MASTER_SECRET,
 * so a leaked file gives up no address; the reference the session needs is sealed (AES-GCM)
 * under another. Erasing a resident deletes their row (`secure_delete`). A register's import
 * writes its rows at random places of the index keyed by resident: the cache holds a city's index
 * (with SQLite's 2 MB, most inserts read a page back from the file, more the larger the register),
 * and the log is checkpointed by a worker thread, not at the commit of an import's group.
 */
export class SqliteContactIndex implements ContactIndex {
  private readonly db: Database.Database;
  private readonly codec: ContactCodec;
  private readonly batcher: TurnBatcher;
  private readonly checkpoints: BackgroundCheckpoint | undefined;

  constructor(options: { path: string } & ContactIndexKeys) {
    this.db = openDatabase(
      options.path,
      `
      CREATE TABLE IF NOT EXISTS resident_contacts (resident_id TEXT PRIMARY KEY, email_hash TEXT, reference_sealed TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS resident_contacts_by_email ON resident_contacts (email_hash);`,
      { secureDelete: true },
    );
    this.db.pragma('cache_size = -65536');
    if (!this.db.memory) this.checkpoints = new BackgroundCheckpoint(this.db, options.path);
    this.codec = new ContactCodec(options);
    this.hash = this.codec.hash;
    const upsert = this.db.prepare<[string, string | null, string]>(
      `INSERT INTO resident_contacts (resident_id, email_hash, reference_sealed) VALUES (?, ?, ?)
       ON CONFLICT (resident_id) DO UPDATE SET email_hash = excluded.email_hash, reference_sealed = excluded.reference_sealed`,
    );
    const upsertAll = this.db.transaction((rows: readonly ContactRow[]) =>
      rows.forEach(([residentId, emailHash, sealed]) => upsert.run(residentId, emailHash, sealed)),
    );
    this.upsertAll = (rows) => {
      upsertAll.immediate(rows);
      this.checkpoints?.committedRows(rows.length);
    };
    this.batcher = new TurnBatcher(this.upsertAll);
  }

  private readonly upsertAll: (rows: readonly ContactRow[]) => void;

  readonly hash: (email: string) => string;

  /** Resolves once the entry is written: with the others recorded in the same turn, in one transaction. */
  record(entry: ContactEntry): Promise<void> {
    return this.batcher.add(this.codec.row(entry));
  }

  async recordAll(entries: readonly ContactEntry[]): Promise<void> {
    if (entries.length > 0) this.upsertAll(this.codec.rows(entries));
  }

  async remove(residentId: string): Promise<void> {
    this.db.prepare('DELETE FROM resident_contacts WHERE resident_id = ?').run(residentId);
  }

  async findByEmail(email: string): Promise<IndexedResident[]> {
    return this.codec.residents(
      this.db
        .prepare<[string], { resident_id: string; reference_sealed: string }>(
          'SELECT resident_id, reference_sealed FROM resident_contacts WHERE email_hash = ?',
        )
        .all(this.hash(email)),
    );
  }

  async all(): Promise<IndexedResident[]> {
    return this.codec.residents(
      this.db
        .prepare<[], { resident_id: string; reference_sealed: string }>('SELECT resident_id, reference_sealed FROM resident_contacts')
        .all(),
    );
  }

  /** Every stored row as it is (for a node moving its rows to a shared index). */
  rows(): ContactRow[] {
    return this.db
      .prepare<[], { resident_id: string; email_hash: string | null; reference_sealed: string }>('SELECT * FROM resident_contacts')
      .all()
      .map((row) => [row.resident_id, row.email_hash, row.reference_sealed] as const);
  }

  /** Deletes every row (`secure_delete`: no bytes are left behind). */
  clear(): void {
    this.db.prepare('DELETE FROM resident_contacts').run();
  }

  async close(): Promise<void> {
    await this.checkpoints?.close();
    if (this.db.open) this.db.close();
  }
}
