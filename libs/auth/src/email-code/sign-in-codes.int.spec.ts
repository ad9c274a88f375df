import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signInCodeStoreContract } from '../testing/sign-in-code-store.contract';
import { SqliteSignInCodes } from './sign-in-codes';

const dir = mkdtempSync(join(tmpdir(), 'civic-codes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
signInCodeStoreContract(SqliteSignInCodes.name, async () => new SqliteSignInCodes({ path: join(dir, 'sessions.sqlite') }));
