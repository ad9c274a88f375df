import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contactIndexContract } from '../testing/contact-index.contract';
import { SqliteContactIndex } from './contact-index';

const dir = mkdtempSync(join(tmpdir(), 'civic-contacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const options = { path: join(dir, 'keys.sqlite'), hashKey: randomBytes(32), sealKey: randomBytes(32) };
contactIndexContract(SqliteContactIndex.name, async () => new SqliteContactIndex(options));
