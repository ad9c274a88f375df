import Database from 'better-sqlite3';

/**
 * Opens one of sign-in's SQLite files: WAL (readers never wait for the writer), a busy timeout
 * (two connections to one file, e.g. the vault's), and `secure_delete` where deleted rows must
 * leave no bytes behind (addresses, codes), then creates its tables.
 */
export function openDatabase(path: string, schema: string, options: { secureDelete?: boolean } = {}): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  if (options.secureDelete) db.pragma('secure_delete = ON');
  // One transaction: one sync for the whole schema of a new file, not one per statement.
  db.transaction(() => db.exec(schema)).immediate();
  return db;
}
