import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionStoreContract } from '../testing/session-store.contract';
import { SqliteSessionStore } from './sqlite-session-store';

const dir = mkdtempSync(join(tmpdir(), 'civic-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
sessionStoreContract(SqliteSessionStore.name, async () => new SqliteSessionStore({ path: join(dir, `sessions-${++n}.sqlite`) }));
