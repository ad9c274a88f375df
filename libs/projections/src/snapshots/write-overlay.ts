import type Database from 'better-sqlite3';

const name = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Lays a temporary overlay over `table` of schema `base` (an attached snapshot's file, read in
 * place), so that the rows written to it land in a small in-memory table of their own instead
 * of among the table's (many) rows: a temporary view of the same name (temporary names are
 * looked up before any other schema's) answers the overlay's rows, and the base table's where
 * the overlay has none; `INSERT` and `DELETE` on it are written to the overlay (a deleted row
 * is a tombstone there). The base table is never written.
 *
 * Time travel folds the events after a snapshot into a copy of it. The ballots' table (a row per
 * ballot of the history, at random keys: almost all of a snapshot's bytes) is read only for the
 * few ballots those events replace, yet written once per ballot folded: in a copy of it, each
 * write at a random key rewrites a page of its own, and the copy itself costs reading the whole
 * table into memory. Through the overlay neither happens (`npm run bench -- time-travel`).
 *
 * Every `INSERT` is an `INSERT OR REPLACE` (what the projections do on such tables), and a
 * statement's `changes` count zero (SQLite counts none on a view): only for tables whose
 * projection writes them so and does not read the counts. `UPDATE` has no trigger and fails
 * loudly. The table must have a primary key.
 */
export function overlayWrites(db: Database.Database, table: string, base: string): void {
  const info = db.prepare(`SELECT name, pk FROM pragma_table_info(?, ?) ORDER BY cid`).all(table, base) as { name: string; pk: number }[];
  const keys = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  if (keys.length === 0) throw new Error(`cannot overlay ${base}.${table}: it has no primary key (or no such table)`);
  const columns = info.map((c) => name(c.name)).join(', ');
  const pk = keys.map((c) => name(c.name)).join(', ');
  const overlay = `temp.${name(`${table}_overlay`)}`;
  const same = keys.map((c) => `r.${name(c.name)} = b.${name(c.name)}`).join(' AND ');
  const gone = name('overlay_gone');
  db.pragma('temp_store = MEMORY');
  db.exec(`
    CREATE TEMP TABLE ${name(`${table}_overlay`)} (${columns}, ${gone} INTEGER NOT NULL, PRIMARY KEY (${pk})) WITHOUT ROWID;
    CREATE TEMP VIEW ${name(table)} AS
      SELECT ${columns} FROM ${overlay} WHERE ${gone} = 0
      UNION ALL
      SELECT ${columns} FROM ${name(base)}.${name(table)} AS b WHERE NOT EXISTS (SELECT 1 FROM ${overlay} AS r WHERE ${same});
    CREATE TEMP TRIGGER ${name(`${table}_overlay_insert`)} INSTEAD OF INSERT ON ${name(table)} BEGIN
      INSERT OR REPLACE INTO ${overlay} (${columns}, ${gone}) VALUES (${info.map((c) => `new.${name(c.name)}`).join(', ')}, 0);
    END;
    CREATE TEMP TRIGGER ${name(`${table}_overlay_delete`)} INSTEAD OF DELETE ON ${name(table)} BEGIN
      INSERT OR REPLACE INTO ${overlay} (${pk}, ${gone}) VALUES (${keys.map((c) => `old.${name(c.name)}`).join(', ')}, 1);
    END;`);
}

/** Bytes the temporary schema (the overlays) holds, beside the main schema's. */
export function overlayBytes(db: Database.Database): number {
  return (db.pragma('temp.page_count', { simple: true }) as number) * (db.pragma('temp.page_size', { simple: true }) as number);
}
