import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sessionStoreContract } from '../testing/session-store.contract';
import { SqliteSessionStore } from './sqlite-session-store';

const dir = mkdtempSync(join(tmpdir(), 'civic-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
sessionStoreContract(SqliteSessionStore.name, async () => new SqliteSessionStore({ path: join(dir, `sessions-${++n}.sqlite`) }));

it('opens a file made before sessions kept their kiosk: its sessions are kept, and kiosk sessions work', async () => {
  const path = join(dir, 'before-kiosks.sqlite');
  const old = new Database(path);
  old.exec(`CREATE TABLE sessions (
    id TEXT PRIMARY KEY, subject TEXT NOT NULL, role TEXT NOT NULL, method TEXT NOT NULL, provider_subject TEXT,
    created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, idle_ms INTEGER NOT NULL,
    absolute_expires_at INTEGER NOT NULL, revoked_at INTEGER);
    INSERT INTO sessions VALUES ('kept', 'TH-1', 'resident', 'poll-card', NULL, 1000, 1000, 500, 10000, NULL);`);
  old.close();
  for (let opening = 0; opening < 2; opening++) {
    const store = new SqliteSessionStore({ path });
    expect((await store.find('kept'))?.subject).toBe('TH-1');
    await store.create({ ...(await store.find('kept'))!, id: `at-kiosk-${opening}`, method: 'kiosk', kioskId: 'k-1' });
    expect(await store.revokeAtKiosk('k-1', 2_000)).toEqual([`at-kiosk-${opening}`]);
    await store.close();
  }
});
