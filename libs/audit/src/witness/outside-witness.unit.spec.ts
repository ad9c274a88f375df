import { InMemoryEventStore } from '@civic/event-store';
import { ev } from '@civic/event-store/testing';
import { ChainedEventStore } from '../chain/chained-event-store';
import { CHECKPOINT_STREAM, parseCheckpoint, type CheckpointData } from '../checkpoint/checkpoint';
import { Checkpointer } from '../checkpoint/checkpointer';
import { MerkleIndex } from '../merkle/merkle-index';
import { consistencyProof } from '../merkle/merkle-proof';
import { publishCheckpoint, type PublishedCheckpoint } from '../receipt/published-checkpoint';
import { testSigningKey } from '../testing/test-keys';
import { pollFeed, type CheckpointFeed } from './outside-witness';

const key = testSigningKey();

/** A log with its checkpointer and index, and the public feed over them. */
function log(signingKey = key) {
  const store = new ChainedEventStore(new InMemoryEventStore());
  const index = MerkleIndex.open(':memory:');
  const checkpointer = new Checkpointer({ store, key: signingKey, index, interval: 1000 });
  const grow = async (name: string, n: number) => {
    for (let i = 0; i < n; i++) await store.append(`ballot-${name}-${i}`, [ev('BallotCast')]);
    await checkpointer.catchUp();
    await checkpointer.checkpointNow();
    await checkpointer.catchUp();
  };
  const published = async (): Promise<PublishedCheckpoint[]> =>
    (await store.readStream(CHECKPOINT_STREAM)).map((e) => publishCheckpoint(parseCheckpoint(e.data) as CheckpointData, e));
  const feed: CheckpointFeed = {
    checkpoints: async (from) => (await published()).filter((c) => c.sequence >= from),
    consistency: async (a, b) => consistencyProof(a, b, (x, y) => index.hashRange(x, y)).map((p) => p.toString('hex')),
  };
  return { grow, feed, published, index };
}

describe(pollFeed.name, () => {
  it('keeps every new checkpoint when the log only grew, each consistent with the one before', async () => {
    const { grow, feed } = log();
    await grow('a', 5);
    await grow('b', 3);
    const first = await pollFeed([], feed, key.publicKey);
    expect(first).toMatchObject({
      ok: true,
      added: [
        { sequence: 0, eventCount: 5 },
        { sequence: 1, eventCount: 9 },
      ],
    });
    await grow('c', 7);
    const second = await pollFeed(first.added, feed, key.publicKey);
    expect(second).toMatchObject({ ok: true, added: [{ sequence: 2, eventCount: 17 }] });
    expect(await pollFeed([...first.added, ...second.added], feed, key.publicKey)).toMatchObject({ ok: true, added: [] });
  });

  it('finds a log cut back (rewound) and a log rewritten under a checkpoint it saw', async () => {
    const { grow, feed } = log();
    await grow('a', 5);
    await grow('b', 3);
    const seen = (await pollFeed([], feed, key.publicKey)).added;
    const rewound: CheckpointFeed = { ...feed, checkpoints: async (from) => (await feed.checkpoints(from)).filter((c) => c.sequence < 1) };
    expect(await pollFeed(seen, rewound, key.publicKey)).toMatchObject({ ok: false, code: 'WITNESS.LOG_REWOUND', sequence: 1 });
    const other = log();
    await other.grow('x', 5);
    await other.grow('y', 3);
    expect(await pollFeed(seen, other.feed, key.publicKey)).toMatchObject({ ok: false, code: 'WITNESS.LOG_FORKED', sequence: 1 });
  });

  it('finds a new tree that does not extend the last one seen, though that checkpoint is still served as it was', async () => {
    const original = log();
    await original.grow('a', 5);
    const seen = (await pollFeed([], original.feed, key.publicKey)).added;
    // The same key signs another history of the same length, then more: checkpoint 0 served as first seen.
    const rewritten = log();
    await rewritten.grow('x', 5);
    await rewritten.grow('y', 4);
    const [kept] = await original.published();
    const feed: CheckpointFeed = {
      checkpoints: async (from) => [kept, ...(await rewritten.feed.checkpoints(from)).filter((c) => c.sequence > 0)],
      consistency: rewritten.feed.consistency,
    };
    expect(await pollFeed(seen, feed, key.publicKey)).toMatchObject({ ok: false, code: 'WITNESS.LOG_FORKED', sequence: 1, added: [] });
  });

  it('refuses a checkpoint signed by another key', async () => {
    const other = log(testSigningKey());
    await other.grow('a', 3);
    expect(await pollFeed([], other.feed, key.publicKey)).toMatchObject({ ok: false, code: 'WITNESS.SIGNATURE_INVALID', sequence: 0 });
  });
});
