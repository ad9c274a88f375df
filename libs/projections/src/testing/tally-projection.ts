import type { Projection } from '../projection';

/** A small projection for the runner's tests: counts events per stream category and per pick. */
export const tallyProjection = (version = 1): Projection => ({
  name: 'test_tally',
  version,
  schema: `CREATE TABLE test_tally (key TEXT PRIMARY KEY, n INTEGER NOT NULL);`,
  apply(db, event) {
    const bump = db.prepare(`INSERT INTO test_tally (key, n) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1`);
    bump.run(`category:${event.streamName.split('-')[0]}`);
    const picks = (event.data as { picks?: string[] }).picks ?? [];
    for (const p of picks) bump.run(`pick:${p}`);
  },
});
