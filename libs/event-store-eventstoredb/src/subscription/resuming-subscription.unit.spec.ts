import { StoreUnavailableError, type Position, type RecordedEvent, type Start } from '@civic/event-store';
import { comparePositions, encodePosition } from '../mapping/position';
import { ResumingSubscription, type ServerSubscription } from './resuming-subscription';

const log: RecordedEvent[] = Array.from({ length: 10 }, (_, i) => ({
  id: `e${i}`,
  type: 'E',
  data: {},
  metadata: {},
  streamName: 'fund-1',
  revision: i,
  position: encodePosition({ commit: BigInt(i + 1) * 100n, prepare: BigInt(i + 1) * 100n }),
  recordedAt: '2026-01-01T00:00:00.000Z',
}));

/** How many fake server subscriptions have handed over all they had and wait for more. */
let waiting = 0;

/** A fake server subscription from `after` that drops after `dropAfter` events, then waits for ever. */
function fakeServer(opened: (Position | Start)[], plan: { dropAfter?: number; replayFrom?: number }[]) {
  return (after: Position | Start): ServerSubscription => {
    const n = opened.push(after) - 1;
    const { dropAfter, replayFrom } = plan[n] ?? {};
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    return {
      async *[Symbol.asyncIterator]() {
        // A misbehaving server may repeat events at or before the position asked for.
        const from = replayFrom ?? log.findIndex((e) => comparePositions(e.position, after) > 0);
        let sent = 0;
        for (const e of log.slice(from < 0 ? log.length : from)) {
          if (dropAfter !== undefined && sent++ >= dropAfter) throw new StoreUnavailableError('connection lost');
          yield e;
        }
        waiting++;
        await stopped;
        waiting--;
      },
      unsubscribe: async () => stop(),
    };
  };
}

async function take(sub: ResumingSubscription, count: number): Promise<string[]> {
  const got: string[] = [];
  for await (const e of sub) if (got.push(e.id) >= count) break;
  await sub.stop();
  return got;
}

describe(ResumingSubscription.name, () => {
  const base = { accept: () => true, isTransient: (e: unknown) => e instanceof StoreUnavailableError, retryDelayMs: 1 };

  it('resubscribes from the last event handed over, never repeating or skipping one', async () => {
    const opened: (Position | Start)[] = [];
    const sub = new ResumingSubscription({
      ...base,
      after: 'start',
      open: fakeServer(opened, [{ dropAfter: 3 }, { replayFrom: 1, dropAfter: 5 }, {}]),
    });
    expect(await take(sub, 10)).toEqual(log.map((e) => e.id));
    expect(opened).toEqual(['start', log[2].position, log[5].position]);
  });

  it('starts after a stored checkpoint, and applies the residual filter', async () => {
    const sub = new ResumingSubscription({ ...base, after: log[6].position, accept: (e) => e.id !== 'e8', open: fakeServer([], []) });
    expect(await take(sub, 2)).toEqual(['e7', 'e9']);
  });

  it('fails on an error that is not transient', async () => {
    const sub = new ResumingSubscription({ ...base, isTransient: () => false, after: 'start', open: fakeServer([], [{ dropAfter: 1 }]) });
    await expect(take(sub, 5)).rejects.toThrow('connection lost');
  });

  it('stop ends a waiting iteration', async () => {
    const sub = new ResumingSubscription({ ...base, after: log[9].position, open: fakeServer([], []) });
    const before = waiting;
    const done = take(sub, 1);
    // Stopped only once the iteration waits on the server for an event that never comes.
    while (waiting === before) await new Promise((r) => setImmediate(r));
    await sub.stop();
    expect(await done).toEqual([]);
  });
});
