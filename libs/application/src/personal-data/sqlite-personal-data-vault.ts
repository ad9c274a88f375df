import Database from 'better-sqlite3';
import { newKey } from './aes-gcm';
import { KeyedVault, type KeyTable } from './keyed-vault';

/** Options of the SQLite vault. */
export interface SqlitePersonalDataVaultOptions {
  /** The vault's own file, apart from the events (e.g. `<data>/keys.sqlite`). */
  readonly path: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS resident_keys (resident_id TEXT PRIMARY KEY, key BLOB NOT NULL CHECK (length(key) = 32));
  -- Residents whose key was destroyed: they never get another, so an erased resident's data stays unreadable.
  CREATE TABLE IF NOT EXISTS erased_residents (resident_id TEXT PRIMARY KEY);
`;

/**
 * Keys in one SQLite file. A destroyed key must leave no bytes behind in the file:
 * - `secure_delete` makes SQLite overwrite deleted content with zeros in place;
 * - in WAL mode a change writes only the new (zeroed) page, never a copy of the old one, and
 *   a `wal_checkpoint(TRUNCATE)` after each erasure writes it into the file and empties the
 *   log, so the only copy of the key was the one just zeroed.
 * What the file system or the disk does with freed blocks is beyond the file: keep the vault
 * on an encrypted volume.
 */
class SqliteKeyTable implements KeyTable {
  private readonly select: Database.Statement<[string], { key: Buffer }>;
  private readonly insert: Database.Statement<[string, Buffer]>;
  private readonly isErased: Database.Statement<[string], { resident_id: string }>;
  private readonly create: (residentId: string) => Buffer | undefined;
  private readonly erase: (residentId: string) => void;

  constructor(readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    // A key must be durable before an event that needs it is appended.
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    this.select = db.prepare('SELECT key FROM resident_keys WHERE resident_id = ?');
    this.insert = db.prepare('INSERT INTO resident_keys (resident_id, key) VALUES (?, ?)');
    this.isErased = db.prepare('SELECT resident_id FROM erased_residents WHERE resident_id = ?');
    const remove = db.prepare('DELETE FROM resident_keys WHERE resident_id = ?');
    const remember = db.prepare('INSERT OR IGNORE INTO erased_residents (resident_id) VALUES (?)');
    // IMMEDIATE: two processes creating the same resident's key serialise, and both get the one key.
    const create = db.transaction((residentId: string): Buffer | undefined => {
      if (this.isErased.get(residentId)) return undefined;
      const existing = this.select.get(residentId)?.key;
      if (existing) return existing;
      const key = newKey();
      this.insert.run(residentId, key);
      return key;
    });
    const erase = db.transaction((residentId: string) => {
      remove.run(residentId);
      remember.run(residentId);
    });
    this.create = (residentId) => create.immediate(residentId);
    this.erase = (residentId) => erase.immediate(residentId);
  }

  get(residentId: string): Buffer | undefined {
    return this.select.get(residentId)?.key;
  }

  getOrCreate(residentId: string): Buffer | undefined {
    return this.create(residentId);
  }

  destroy(residentId: string): void {
    this.erase(residentId);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

/** The vault of a deployment: one SQLite file of keys, apart from the event store. */
export class SqlitePersonalDataVault extends KeyedVault {
  private readonly db: Database.Database;

  constructor(options: SqlitePersonalDataVaultOptions) {
    const db = new Database(options.path);
    super(new SqliteKeyTable(db));
    this.db = db;
  }

  close(): void {
    this.db.close();
  }
}
