import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** Who holds a writer lock: recorded by the holder, shown to whoever is refused. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly since: string;
  /** What the holder runs, e.g. `api` or `projections rebuild`. */
  readonly command: string;
}

/** Raised when another process (or another handle in this one) already writes the file. */
export class WriterLockHeldError extends Error {
  readonly code = 'STORE.LOCKED';
  constructor(
    /** What is locked, as the user names it, e.g. `the event store (SQLITE_PATH=./data/x.sqlite)`. */
    readonly what: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      `${what} is already written by another process: ${
        holder
          ? `pid ${holder.pid} on ${holder.host}, since ${holder.since}, running "${holder.command}"`
          : 'its holder did not record itself yet'
      }. One process writes it at a time: stop that one first, or point this one at other files.`,
    );
    this.name = 'WriterLockHeldError';
  }
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS holder (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL, command TEXT NOT NULL, token TEXT NOT NULL
)`;

/**
 * An exclusive, crash-proof lock on a file one process writes (the SQLite event store, a node's
 * read models), so that a second writer is refused instead of writing beside the first.
 *
 * It is SQLite's own locking, on a small database beside the file (`<file>.lock`, in WAL mode):
 * the holder records itself in it, then keeps a write transaction open (`BEGIN IMMEDIATE`) for as
 * long as it holds the lock. The write lock is an OS lock on `<file>.lock-shm`, so the kernel
 * drops it when the holder dies, even by SIGKILL: there is no stale lock to time out. Another
 * process's `BEGIN IMMEDIATE` fails at once; in WAL mode it can still read the holder's record,
 * which the refusal names. Readers of the locked file itself (`audit verify`,
 * `projections rebuild --check`) take no lock. No npm lock library is used: those that work by
 * lock files (proper-lockfile, lockfile) detect a dead holder by the age of the file, so a crash
 * blocks the next start for their stale period and a long pause of the event loop loses the lock.
 */
export class WriterLock {
  private released = false;

  private constructor(
    private readonly db: Database.Database,
    readonly holder: LockHolder,
  ) {}

  /** Takes the lock on `file` for `command`, or throws {@link WriterLockHeldError} naming the holder. */
  static acquire(file: string, what: string, command: string): WriterLock {
    const lockPath = `${file}.lock`;
    mkdirSync(dirname(lockPath), { recursive: true });
    const db = new Database(lockPath, { timeout: 2000 });
    try {
      // Waits (up to the timeout) only while another process creates the file or switches it to WAL.
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 0');
      const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
      const token = `${holder.pid}@${holder.host}@${holder.since}@${Math.random()}`;
      if (!tryBegin(db)) throw refusal(db, what, token);
      db.exec(SCHEMA);
      db.prepare(`INSERT OR REPLACE INTO holder (id, pid, host, since, command, token) VALUES (1, ?, ?, ?, ?, ?)`).run(
        holder.pid,
        holder.host,
        holder.since,
        holder.command,
        token,
      );
      db.exec('COMMIT');
      // The record is visible to others only once committed; the lock is the transaction opened now.
      if (!tryBegin(db)) throw refusal(db, what, token);
      return new WriterLock(db, holder);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Lets the next writer in. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.db.exec('ROLLBACK');
    this.db.close();
  }
}

function tryBegin(db: Database.Database): boolean {
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw err;
  }
}

/**
 * The refusal, naming the holder. Between our commit and our second `BEGIN IMMEDIATE` another
 * process may take the lock and not have committed its record yet, so the record read is still
 * ours: read again for a moment until it names someone else.
 */
function refusal(db: Database.Database, what: string, ownToken: string): WriterLockHeldError {
  const deadline = Date.now() + 1000;
  for (;;) {
    let row: (LockHolder & { token: string }) | undefined;
    try {
      row = db.prepare(`SELECT pid, host, since, command, token FROM holder WHERE id = 1`).get() as typeof row;
    } catch {
      row = undefined; // the holder has not created the table yet
    }
    if ((row && row.token !== ownToken) || Date.now() > deadline) {
      return new WriterLockHeldError(
        what,
        row && row.token !== ownToken ? { pid: row.pid, host: row.host, since: row.since, command: row.command } : undefined,
      );
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}

/**
 * The locks a writer of this node's files holds: the read models (always: a rebuild replaces
 * their file) and, on SQLite, the event store. Taken before anything is opened; released
 * after everything is closed. Files at `:memory:` need none.
 */
export function holdWriterLocks(
  config: { EVENT_STORE: string; SQLITE_PATH: string; READ_MODEL_PATH: string },
  command: string,
  files: { eventStore: boolean } = { eventStore: true },
): { release(): void } {
  const wanted: [string, string][] = [];
  if (files.eventStore && config.EVENT_STORE === 'sqlite' && config.SQLITE_PATH !== ':memory:') {
    wanted.push([config.SQLITE_PATH, `the event store (SQLITE_PATH=${config.SQLITE_PATH})`]);
  }
  if (config.READ_MODEL_PATH !== ':memory:')
    wanted.push([config.READ_MODEL_PATH, `the read models (READ_MODEL_PATH=${config.READ_MODEL_PATH})`]);
  const held: WriterLock[] = [];
  const release = () => {
    for (const lock of held.reverse()) lock.release();
  };
  try {
    for (const [file, what] of wanted) held.push(WriterLock.acquire(file, what, command));
  } catch (err) {
    release();
    throw err;
  }
  return { release };
}
