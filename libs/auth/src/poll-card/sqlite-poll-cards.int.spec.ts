import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollCardStoreContract } from '../testing/poll-card-store.contract';
import { SqlitePollCards } from './sqlite-poll-cards';

const dir = mkdtempSync(join(tmpdir(), 'civic-poll-cards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
pollCardStoreContract(SqlitePollCards.name, async () => new SqlitePollCards({ path: join(dir, 'keys.sqlite') }));
