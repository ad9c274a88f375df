import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteWebSessionRecords } from './sqlite-web-session-records';
import { webSessionStoreContract } from './web-session-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'civic-web-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

webSessionStoreContract(SqliteWebSessionRecords.name, async () => new SqliteWebSessionRecords(join(dir, 'web-sessions.sqlite')));
