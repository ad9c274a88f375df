import {
  StreamNotFoundError,
  WrongExpectedVersionError as ClientWrongExpectedVersion,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { WrongExpectedVersionError } from '@civic/event-store';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const ID = '6f1c1b52-2d8a-4c4e-9a43-0c1d2e3f4a5b';

const resolved = (streamId: string, revision: bigint, commit: bigint) => ({
  event: {
    streamId,
    id: ID,
    revision,
    type: 'BallotCast',
    data: { n: Number(revision) },
    metadata: {},
    isJson: true,
    created: new Date('2026-05-01T10:00:00.000Z'),
    position: { commit, prepare: commit },
  },
});

/** Just enough of the client for the store's own code paths (reads of $all are tested apart). */
function fakeClient(overrides: Record<string, unknown> = {}) {
  const calls: unknown[][] = [];
  const client = {
    appendToStream: async (...args: unknown[]) => {
      calls.push(args);
      return { success: true, nextExpectedRevision: 4n, position: { commit: 900n, prepare: 880n } };
    },
    readStream: () => (async function* () {})(),
    dispose: async () => undefined,
    ...overrides,
  };
  return { client: client as unknown as EventStoreDBClient, calls };
}

describe(`${EventStoreDbEventStore.name} over a fake client`, () => {
  it('appends to the namespaced stream with the mapped expected revision and answers in port terms', async () => {
    const { client, calls } = fakeClient();
    const sut = new EventStoreDbEventStore(client, { namespace: 't1_' });
    const result = await sut.append('ballot-1', [{ id: ID.toUpperCase(), type: 'BallotCast', data: { n: 1 } }], { expectedRevision: 3 });
    expect(result).toEqual({ nextExpectedRevision: 4, position: '00000000000000000900:00000000000000000880' });
    expect(calls[0][0]).toBe('t1_ballot-1');
    expect((calls[0][1] as { id: string }[])[0].id).toBe(ID);
    expect(calls[0][2]).toEqual({ expectedRevision: 3n });
  });

  it('maps a wrong expected version to ours, naming the stream as the caller knows it', async () => {
    const { client } = fakeClient({
      appendToStream: async () => {
        throw new ClientWrongExpectedVersion(undefined, { streamName: 't1_fund-a', expected: 0n, current: 2n });
      },
    });
    const sut = new EventStoreDbEventStore(client, { namespace: 't1_' });
    const err = await sut.append('fund-a', [{ id: ID, type: 'E', data: {} }], { expectedRevision: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongExpectedVersionError);
    expect(err).toMatchObject({ streamName: 'fund-a', expected: 0, actual: 2 });
  });

  it('finds the position of an idempotent retry the server answered without one', async () => {
    const { client } = fakeClient({
      appendToStream: async () => ({ success: true, nextExpectedRevision: 4n, position: undefined }),
      readStream: (name: string, options: { fromRevision: bigint }) =>
        (async function* () {
          yield resolved(name, options.fromRevision, 700n);
        })(),
    });
    const sut = new EventStoreDbEventStore(client);
    expect((await sut.append('fund-a', [{ id: ID, type: 'E', data: {} }])).position).toBe('00000000000000000700:00000000000000000700');
  });

  it('reads a missing stream as empty', async () => {
    const { client } = fakeClient({
      readStream: () =>
        (async function* () {
          throw new StreamNotFoundError(undefined, 'fund-none');
        })(),
    });
    expect(await new EventStoreDbEventStore(client).readStream('fund-none')).toEqual([]);
  });

  it('subscribes with a server filter, maps events, and unsubscribes on stop', async () => {
    let options: { filter?: { regex?: string } } = {};
    let unsubscribed = false;
    const { client } = fakeClient({
      subscribeToAll: (o: typeof options) => {
        options = o;
        return Object.assign(
          (async function* () {
            yield resolved('t1_ballot-1', 0n, 100n);
            yield resolved('t1_ballot-1', 1n, 200n);
            await new Promise(() => undefined);
          })(),
          { unsubscribe: async () => void (unsubscribed = true) },
        );
      },
    });
    const sub = new EventStoreDbEventStore(client, { namespace: 't1_' }).subscribeAll({ filter: { streamCategories: ['ballot'] } });
    const got: string[] = [];
    for await (const e of sub) if (got.push(`${e.streamName}@${e.revision}`) === 2) break;
    await sub.stop();
    expect(got).toEqual(['ballot-1@0', 'ballot-1@1']);
    expect(options.filter?.regex).toBe('^t1_(?:ballot)-');
    expect(unsubscribed).toBe(true);
  });
});
