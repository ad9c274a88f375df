import { randomUUID } from 'node:crypto';
import { EventStoreDbEventStore } from '@civic/event-store-eventstoredb';
import { InMemoryEventStore } from '@civic/event-store';
import { openEventLog } from './event-log';
import { openHistory } from './open-history';
import { parseOptions } from '../../parse-options';
import { STORE_OPTIONS, storeChoice, UsageError } from './store-options';

const URL = 'esdb://127.0.0.1:2113?tls=false';
const choose = (args: string[], env: NodeJS.ProcessEnv = {}) => storeChoice(parseOptions(args, STORE_OPTIONS), env);

describe('--store eventstoredb', () => {
  it('takes the server from --eventstoredb-url, else from EVENTSTOREDB_URL in the configuration', () => {
    expect(choose(['--store', 'eventstoredb', '--eventstoredb-url', URL])).toEqual({
      kind: 'eventstoredb',
      connectionString: URL,
      namespace: undefined,
    });
    expect(
      choose(['--store', 'eventstoredb', '--eventstoredb-namespace', 'council_a'], { EVENTSTOREDB_URL: 'kurrentdb://db:2113' }),
    ).toEqual({
      kind: 'eventstoredb',
      connectionString: 'kurrentdb://db:2113',
      namespace: 'council_a',
    });
    // The store itself may come from the configuration too.
    expect(choose([], { EVENT_STORE: 'eventstoredb', EVENTSTOREDB_URL: URL })).toMatchObject({
      kind: 'eventstoredb',
      connectionString: URL,
    });
    // An option given makes the configuration's value irrelevant.
    expect(choose(['--store', 'eventstoredb', '--eventstoredb-url', URL], { EVENTSTOREDB_URL: 'esdb://elsewhere:2113' })).toMatchObject({
      connectionString: URL,
    });
  });

  it('is a usage error without a server, with a URL that is not esdb://, or with a bad namespace', () => {
    expect(() => choose(['--store', 'eventstoredb'])).toThrow(
      new UsageError('--store eventstoredb needs --eventstoredb-url URL (or EVENTSTOREDB_URL), e.g. esdb://localhost:2113?tls=false'),
    );
    expect(() => choose(['--store', 'eventstoredb', '--eventstoredb-url', 'http://127.0.0.1:2113'])).toThrow(
      /--eventstoredb-url must be an esdb:\/\//,
    );
    expect(() => choose(['--store', 'eventstoredb', '--eventstoredb-url', URL, '--eventstoredb-namespace', '1-bad'])).toThrow(UsageError);
    expect(() => choose(['--store', 'mysql'])).toThrow(/--store must be sqlite, postgres or eventstoredb, got "mysql"/);
    expect(() => choose(['--eventstoredb-port', '2113'])).toThrow(UsageError);
  });

  it('leaves the other stores as they were, defaulting from the configuration', () => {
    expect(choose([])).toEqual({ kind: 'sqlite', path: './data/civic-ledger.sqlite' });
    expect(choose(['--store', 'postgres', '--schema', 'council'], { DATABASE_URL: 'postgres://db/x' })).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://db/x',
      schema: 'council',
    });
  });
});

describe('opening an EventStoreDB history', () => {
  afterEach(() => jest.restoreAllMocks());

  async function fakeServer() {
    const store = new InMemoryEventStore();
    await store.append('fund-f1', [{ id: randomUUID(), type: 'FundCreated', data: { fundId: 'f1' }, metadata: {} }]);
    const connect = jest.spyOn(EventStoreDbEventStore, 'connect').mockResolvedValue(store as never);
    return { store, connect };
  }

  const choice = { kind: 'eventstoredb', connectionString: URL, namespace: 'council_a' } as const;

  it('replay, recompute and export read the global order through the adapter, in its namespace', async () => {
    const { connect } = await fakeServer();
    const log = await openEventLog(choice);
    const pages = [];
    for await (const page of log.pages()) pages.push(...page.map((e) => e.type));
    await log.close();
    expect(connect).toHaveBeenCalledWith({ connectionString: URL, namespace: 'council_a' });
    expect(pages).toEqual(['FundCreated']);
    expect(log.description).toBe('EventStoreDB namespace council_a');
  });

  it('verify reads it through the port, with no store witness (the auditor brings copies)', async () => {
    const { connect } = await fakeServer();
    const history = await openHistory(choice);
    expect(connect).toHaveBeenCalledWith({ connectionString: URL, namespace: 'council_a' });
    expect(history.storeWitness).toBeUndefined();
    const counts = [];
    for await (const page of history.source.pages()) counts.push(page.count);
    await history.close();
    expect(counts).toEqual([1]);
  });

  it('a server that cannot be reached fails as the API does, naming the option', async () => {
    jest.spyOn(EventStoreDbEventStore, 'connect').mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:2113'));
    await expect(openEventLog(choice)).rejects.toMatchObject({
      code: 'CONFIG.EVENT_STORE_UNAVAILABLE',
      message: 'Cannot open the event store (--eventstoredb-url): connect ECONNREFUSED 127.0.0.1:2113',
    });
  });
});
