import { PostgresTables } from '../postgres/postgres-tables';
import {
  ContactCodec,
  TurnBatcher,
  type ContactEntry,
  type ContactIndex,
  type ContactIndexKeys,
  type ContactRow,
  type IndexedResident,
} from './contact-index.port';

/** A resident recorded again keeps the later entry. */
const UPSERT = 'DO UPDATE SET email_hash = excluded.email_hash, reference_sealed = excluded.reference_sealed';

/** Partitions of the table: an erasure rewrites one of them (a sixteenth of the index), not all. */
const PARTITIONS = 16;

/**
 * How many sessions of the database (a replication slot or a prepared transaction too) hold a
 * snapshot or a transaction no newer than transaction $1: `VACUUM FULL` copies a row version
 * that any of them could still read. Without `pg_read_all_stats`, other roles' sessions are not
 * seen (their snapshots count as none).
 */
const OLDER_SNAPSHOTS = `
  SELECT (SELECT count(*) FROM pg_stat_activity
           WHERE pid <> pg_backend_pid() AND (datname = current_database() OR datname IS NULL)
             AND (age(backend_xmin) >= age($1::xid) OR age(backend_xid) >= age($1::xid)))
       + (SELECT count(*) FROM pg_replication_slots WHERE age(xmin) >= age($1::xid))
       + (SELECT count(*) FROM pg_prepared_xacts WHERE age(transaction) >= age($1::xid)) AS older`;

/**
 * The contact index of API nodes sharing a PostgreSQL vault, in the vault's schema
 * (`VAULT_SCHEMA`, backed up with the keys and apart from the events): an address registered
 * through one node is found through every node, and an erasure on one is seen by the next
 * look-up on all (no node caches a row).
 *
 * PostgreSQL has no `secure_delete`: a deleted row's bytes stay in its page's free space until
 * overwritten, even after VACUUM. So erasure empties the row and then rewrites the partition
 * that held it (`VACUUM FULL`, its indexes with it), leaving the live files without the address
 * hash. The table is hash-partitioned by resident so that this rewrite stays small (50–100 ms
 * for the partition of a 300,000-resident index here) and blocks look-ups only that long. The
 * rewrite keeps every row version a snapshot still open could read, so it waits for the snapshots
 * older than the emptying to end (any transaction of the database, whatever its schema). The
 * write-ahead log and backups keep the bytes until they are recycled, as for the keys.
 */
export class PostgresContactIndex implements ContactIndex {
  private readonly tables: PostgresTables;
  private readonly codec: ContactCodec;
  private readonly batcher: TurnBatcher;
  readonly hash: (email: string) => string;
  private readonly snapshotWaitMs: number;

  /** `snapshotWaitMs`: how long an erasure waits for older snapshots to end before it leaves its tombstone to the next sweep. @defaultValue 10 s */
  constructor(options: { connectionString: string; schema: string; snapshotWaitMs?: number } & ContactIndexKeys) {
    this.snapshotWaitMs = options.snapshotWaitMs ?? 10_000;
    this.tables = new PostgresTables({
      connectionString: options.connectionString,
      schema: options.schema,
      ddl: (schema) => `
        CREATE TABLE IF NOT EXISTS ${schema}.resident_contacts (
          resident_id TEXT PRIMARY KEY, email_hash TEXT, reference_sealed TEXT NOT NULL) PARTITION BY HASH (resident_id);
        ${Array.from(
          { length: PARTITIONS },
          (_, i) =>
            `CREATE TABLE IF NOT EXISTS ${schema}.resident_contacts_${i} PARTITION OF ${schema}.resident_contacts
               FOR VALUES WITH (MODULUS ${PARTITIONS}, REMAINDER ${i});`,
        ).join('\n')}
        CREATE INDEX IF NOT EXISTS resident_contacts_by_email ON ${schema}.resident_contacts (email_hash);`,
    });
    this.codec = new ContactCodec(options);
    this.hash = this.codec.hash;
    this.batcher = new TurnBatcher((rows) => this.write(rows, UPSERT));
  }

  private write(rows: readonly ContactRow[], onConflict: string) {
    return this.tables.query(
      `INSERT INTO ${this.table} (resident_id, email_hash, reference_sealed)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (resident_id) ${onConflict}`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
    );
  }

  /**
   * Takes in the rows a node kept in its own file before the index was shared (sealed and hashed
   * under the same keys); a resident the shared index holds already keeps their row.
   */
  async adopt(rows: readonly ContactRow[]): Promise<void> {
    await this.write(rows, 'DO NOTHING');
  }

  private get table(): string {
    return `${this.tables.schema}.resident_contacts`;
  }

  /** Resolves once the table exists. */
  ready(): Promise<void> {
    return this.tables.whenReady();
  }

  /** Resolves once the entry is written: with the others recorded in the same turn, in one statement. */
  record(entry: ContactEntry): Promise<void> {
    return this.batcher.add(this.codec.row(entry));
  }

  async recordAll(entries: readonly ContactEntry[]): Promise<void> {
    if (entries.length > 0) await this.write(this.codec.rows(entries), UPSERT);
  }

  /**
   * Empties the row first (a tombstone: no hash, no reference), waits for the snapshots that could
   * still read its old version to end, rewrites its partition, then deletes the tombstone. A node
   * that dies midway leaves the tombstone, and so does a snapshot still open after
   * `snapshotWaitMs` (the rewrite may have kept the old version): the erasure sweep at the next
   * start finds the row again and finishes the rewrite; a row already gone costs nothing.
   */
  async remove(residentId: string): Promise<void> {
    const { rows } = await this.tables.query<{ partition: string; xid: string }>(
      `UPDATE ${this.table} SET email_hash = NULL, reference_sealed = '' WHERE resident_id = $1
       RETURNING tableoid::regclass::text AS partition, pg_current_xact_id()::xid::text AS xid`,
      [residentId],
    );
    if (rows.length === 0) return;
    const clean = await this.olderSnapshotsEnded(rows[0].xid);
    // The partition's name comes from the catalogue (schema-qualified), never from input.
    await this.tables.query(`VACUUM FULL ${rows[0].partition}`);
    if (clean) await this.tables.query(`DELETE FROM ${this.table} WHERE resident_id = $1`, [residentId]);
  }

  /** Whether every snapshot that could read what transaction `xid` changed has ended (false once `snapshotWaitMs` passed). */
  private async olderSnapshotsEnded(xid: string): Promise<boolean> {
    for (const giveUpAt = Date.now() + this.snapshotWaitMs; ;) {
      const { rows } = await this.tables.query<{ older: string }>(OLDER_SNAPSHOTS, [xid]);
      if (Number(rows[0].older) === 0) return true;
      if (Date.now() >= giveUpAt) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async findByEmail(email: string): Promise<IndexedResident[]> {
    const { rows } = await this.tables.query<{ resident_id: string; reference_sealed: string }>(
      `SELECT resident_id, reference_sealed FROM ${this.table} WHERE email_hash = $1`,
      [this.hash(email)],
    );
    return this.codec.residents(rows);
  }

  async all(): Promise<IndexedResident[]> {
    const { rows } = await this.tables.query<{ resident_id: string; reference_sealed: string }>(
      `SELECT resident_id, reference_sealed FROM ${this.table} WHERE reference_sealed <> ''`,
    );
    return this.codec.residents(rows);
  }

  close(): Promise<void> {
    return this.tables.close();
  }
}
