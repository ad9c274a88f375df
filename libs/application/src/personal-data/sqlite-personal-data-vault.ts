import Database from 'better-sqlite3';
import { BackgroundCheckpoint } from '@civic/event-store-sqlite';
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
 * on an encrypted volume. Otherwise the log is checkpointed by a worker thread (see
 * `BackgroundCheckpoint`), not at the commit of an import's group of keys: a group's keys land
 * all over the index, and copying those pages blocked the event loop. Each commit still syncs
 * the log (`synchronous = FULL`), so a key is durable once its transaction returns.
 */
class SqliteKeyTable implements KeyTable {
  private readonly select: Database.Statement<[string], { key: Buffer }>;
  private readonly createAll: (residentIds: readonly string[]) => Map<string, Buffer | undefined>;
  private readonly erase: (residentId: string) => void;
  private readonly insertNew: (residentIds: readonly string[], keys: readonly Buffer[]) => Map<string, Buffer>;
  private readonly deleteAll: (residentIds: readonly string[]) => void;
  /** Keys asked for in this turn of the event loop, created together in one transaction. */
  private readonly pending = new Map<string, { resolve: (key: Buffer | undefined) => void; reject: (error: unknown) => void }[]>();

  constructor(
    readonly db: Database.Database,
    private readonly checkpoints?: BackgroundCheckpoint,
  ) {
    db.pragma('journal_mode = WAL');
    // A key must be durable before an event that needs it is appended.
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    db.pragma('busy_timeout = 5000');
    // The keys' index takes each new resident at a random place: with SQLite's default 2 MB of
    // cache a register of 300,000 residents read most of its pages back from the file at every
    // group of the import, and more the larger the register. 64 MB holds a city's index.
    db.pragma('cache_size = -65536');
    db.exec(SCHEMA);
    this.select = db.prepare('SELECT key FROM resident_keys WHERE resident_id = ?');
    const insert = db.prepare<[string, Buffer]>('INSERT INTO resident_keys (resident_id, key) VALUES (?, ?)');
    const isErased = db.prepare<[string], { resident_id: string }>('SELECT resident_id FROM erased_residents WHERE resident_id = ?');
    const remove = db.prepare<[string]>('DELETE FROM resident_keys WHERE resident_id = ?');
    const remember = db.prepare<[string]>('INSERT OR IGNORE INTO erased_residents (resident_id) VALUES (?)');
    const createAll = db.transaction((residentIds: readonly string[]) => {
      const keys = new Map<string, Buffer | undefined>();
      for (const residentId of residentIds) {
        if (isErased.get(residentId)) {
          keys.set(residentId, undefined);
          continue;
        }
        let key = this.select.get(residentId)?.key;
        if (!key) insert.run(residentId, (key = newKey()));
        keys.set(residentId, key);
      }
      return keys;
    });
    const erase = db.transaction((residentId: string) => {
      remove.run(residentId);
      remember.run(residentId);
    });
    // A key for a resident who has none and was never erased: `changes` says whether it was stored.
    const insertIfNew = db.prepare<[string, Buffer, string]>(
      `INSERT INTO resident_keys (resident_id, key) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM erased_residents WHERE resident_id = ?)
       ON CONFLICT (resident_id) DO NOTHING`,
    );
    const insertNew = db.transaction((residentIds: readonly string[], keys: readonly Buffer[]) => {
      const created = new Map<string, Buffer>();
      residentIds.forEach((residentId, i) => {
        if (insertIfNew.run(residentId, keys[i], residentId).changes === 1) created.set(residentId, keys[i]);
      });
      return created;
    });
    const deleteAll = db.transaction((residentIds: readonly string[]) => residentIds.forEach((residentId) => remove.run(residentId)));
    this.insertNew = (residentIds, keys) => {
      const created = insertNew.immediate(residentIds, keys);
      this.checkpoints?.committedRows(created.size);
      return created;
    };
    this.deleteAll = (residentIds) => deleteAll.immediate(residentIds);
    // IMMEDIATE: two processes creating the same resident's key serialise, and both get the one key.
    this.createAll = (residentIds) => {
      const keys = createAll.immediate(residentIds);
      this.checkpoints?.committedRows(residentIds.length);
      return keys;
    };
    this.erase = (residentId) => erase.immediate(residentId);
  }

  get(residentId: string): Buffer | undefined {
    return this.select.get(residentId)?.key;
  }

  /**
   * An existing key at once; a new one with the others asked for in the same turn, in one
   * transaction: a register imported rows in parallel pays one fsync per group, not per row.
   */
  getOrCreate(residentId: string): Buffer | undefined | Promise<Buffer | undefined> {
    const existing = this.get(residentId);
    if (existing) return existing;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) setImmediate(() => this.createPending());
      this.pending.set(residentId, [...(this.pending.get(residentId) ?? []), { resolve, reject }]);
    });
  }

  createNew(residentIds: readonly string[], keys: readonly Buffer[]): Map<string, Buffer> {
    return this.insertNew(residentIds, keys);
  }

  async discard(residentIds: readonly string[]): Promise<void> {
    this.deleteAll(residentIds);
    await this.truncateLog();
  }

  async destroy(residentId: string): Promise<void> {
    this.erase(residentId);
    await this.truncateLog();
  }

  /**
   * Copies the log into the file and empties it, so that no older copy of a deleted key's page
   * stays in it. SQLite refuses this (busy) while the worker copies the log, so it is tried again
   * once the worker's copy is over.
   */
  private async truncateLog(): Promise<void> {
    for (let tries = 0; ; tries++) {
      if (!this.tryTruncateLog() && this.checkpoints?.busy && tries < 100) await this.checkpoints.idle();
      else return;
    }
  }

  /** Whether the log was copied and emptied (not refused as busy). */
  private tryTruncateLog(): boolean {
    try {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      return !result.busy;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      return false;
    }
  }

  private createPending(): void {
    const batch = [...this.pending];
    this.pending.clear();
    try {
      const keys = this.createAll(batch.map(([residentId]) => residentId));
      for (const [residentId, waiting] of batch) for (const w of waiting) w.resolve(keys.get(residentId));
    } catch (error) {
      for (const [, waiting] of batch) for (const w of waiting) w.reject(error);
    }
  }
}

/** The vault of a deployment: one SQLite file of keys, apart from the event store. */
export class SqlitePersonalDataVault extends KeyedVault {
  private readonly db: Database.Database;
  private readonly checkpoints: BackgroundCheckpoint | undefined;

  constructor(options: SqlitePersonalDataVaultOptions) {
    const db = new Database(options.path);
    const checkpoints = db.memory ? undefined : new BackgroundCheckpoint(db, options.path);
    super(new SqliteKeyTable(db, checkpoints));
    this.db = db;
    this.checkpoints = checkpoints;
  }

  /** Closes the file; the checkpoint worker stops after the checkpoint under way, if any (the log stays valid until then). */
  close(): void {
    void this.checkpoints?.close();
    this.db.close();
  }
}
