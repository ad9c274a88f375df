import Database from 'better-sqlite3';
import { overlayWrites } from './write-overlay';

/** A small deterministic generator, so that a failure names the seed that found it. */
function generator(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

const SCHEMA = `
  CREATE TABLE ballots (key BLOB PRIMARY KEY, marks TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE lines (pot TEXT NOT NULL, proposal TEXT NOT NULL, n INTEGER, PRIMARY KEY (pot, proposal));`;

/** Two equal databases: one plain, one whose tables are overlaid after `rows` rows each. */
function pair(rows: number, random: (n: number) => number) {
  const plain = new Database(':memory:');
  plain.exec(SCHEMA);
  for (let i = 0; i < rows; i++) {
    plain.prepare(`INSERT INTO ballots VALUES (?, ?)`).run(Buffer.from([i % 256, i >> 8]), `m${random(1000)}`);
    plain.prepare(`INSERT OR REPLACE INTO lines VALUES (?, ?, ?)`).run(`pot${random(5)}`, `p${random(20)}`, random(100));
  }
  const overlaid = new Database(plain.serialize());
  overlayWrites(overlaid, 'ballots', 'main');
  overlayWrites(overlaid, 'lines', 'main');
  return { plain, overlaid };
}

const dump = (db: Database.Database) => ({
  ballots: db.prepare(`SELECT key, marks FROM ballots ORDER BY key`).all(),
  lines: db.prepare(`SELECT pot, proposal, n FROM lines ORDER BY pot, proposal`).all(),
});

describe('overlayWrites', () => {
  it.each([1, 2, 3, 4, 5])(
    'answers every statement as the plain table does after random replacements, deletions and re-insertions (seed %i)',
    (seed) => {
      const random = generator(seed);
      const { plain, overlaid } = pair(600, random);
      const mainBefore = overlaid.prepare(`SELECT count(*) FROM main.ballots`).pluck().get();
      // The same statements, prepared once on each side, as the projections do.
      const statements = (db: Database.Database) => ({
        put: db.prepare(`INSERT OR REPLACE INTO ballots (key, marks) VALUES (?, ?)`),
        remove: db.prepare(`DELETE FROM ballots WHERE key = ?`),
        get: db.prepare(`SELECT marks FROM ballots WHERE key = ?`),
        line: db.prepare(`INSERT OR REPLACE INTO lines (pot, proposal, n) VALUES (?, ?, ?)`),
        dropPot: db.prepare(`DELETE FROM lines WHERE pot = ?`),
      });
      const a = statements(plain);
      const b = statements(overlaid);
      for (let step = 0; step < 3000; step++) {
        // Keys both among the snapshot's rows and beyond them, so each path is taken often.
        const key = Buffer.from([random(256), random(4)]);
        const op = random(10);
        if (op < 5) {
          const marks = `m${random(1000)}`;
          a.put.run(key, marks);
          b.put.run(key, marks);
        } else if (op < 8) {
          a.remove.run(key);
          b.remove.run(key);
        } else if (op < 9) {
          const row = [`pot${random(5)}`, `p${random(20)}`, random(100)];
          a.line.run(...row);
          b.line.run(...row);
        } else {
          const pot = `pot${random(5)}`;
          a.dropPot.run(pot);
          b.dropPot.run(pot);
        }
        expect(b.get.get(key)).toEqual(a.get.get(key));
        if (step % 500 === 0) expect(dump(overlaid)).toEqual(dump(plain));
      }
      expect(dump(overlaid)).toEqual(dump(plain));
      // Nothing was written among the copied rows.
      expect(overlaid.prepare(`SELECT count(*) FROM main.ballots`).pluck().get()).toBe(mainBefore);
    },
  );

  it('refuses what it cannot answer as the table would: an update, and a table without a primary key', () => {
    const { overlaid } = pair(10, generator(9));
    expect(() => overlaid.prepare(`UPDATE ballots SET marks = 'x'`).run()).toThrow(/cannot modify ballots because it is a view/);
    overlaid.exec(`CREATE TABLE loose (a, b)`);
    expect(() => overlayWrites(overlaid, 'loose', 'main')).toThrow(/no primary key/);
  });
});
