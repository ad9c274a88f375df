import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '@civic/event-store';
import { ev, readEverything } from '@civic/event-store/testing';
import { ChainedEventStore } from '../chain/chained-event-store';
import { testSigningKey } from '../testing/test-keys';
import { StoreAuditSource } from '../verify/sources/store-source';
import { verifyHistory } from '../verify/verify-history';
import type { WitnessPort, WitnessRecord } from '../witness/witness.port';
import { CHECKPOINT_STREAM, type CheckpointData } from './checkpoint';
import { Checkpointer } from './checkpointer';

class MemoryWitness implements WitnessPort {
  readonly records: WitnessRecord[] = [];
  async record(r: WitnessRecord) {
    this.records.push(r);
  }
  async readAll() {
    return [...this.records];
  }
}

const key = testSigningKey();

async function checkpoints(store: ChainedEventStore): Promise<CheckpointData[]> {
  return (await store.readStream(CHECKPOINT_STREAM)).map((e) => e.data as unknown as CheckpointData);
}

describe(Checkpointer.name, () => {
  it('checkpoints every `interval` events and after each phase change, and the result verifies', async () => {
    const store = new ChainedEventStore(new InMemoryEventStore());
    const witness = new MemoryWitness();
    const sut = new Checkpointer({ store, key, witness, interval: 10 });
    for (let i = 0; i < 25; i++) await store.append(`ballot-p-${i}`, [ev('BallotCast')]);
    await store.append('fund-1', [ev('VotingClosed')]);
    await sut.catchUp();
    const got = await checkpoints(store);
    expect(got.map((c) => [c.sequence, c.eventCount, c.reason])).toEqual([
      [0, 10, 'interval'],
      [1, 20, 'interval'],
      [2, 26, 'phase_change'],
    ]);
    expect(got[1].previousCheckpointHash).toMatch(/^[0-9a-f]{64}$/);
    expect(witness.records.map((w) => w.sequence)).toEqual([0, 1, 2]);
    const report = await verifyHistory({
      source: new StoreAuditSource(store, 'memory'),
      publicKey: key.publicKey,
      witnesses: [{ description: 'w', records: witness.records }],
    });
    expect(report).toMatchObject({ ok: true, checkpointsChecked: 3, eventsChecked: 29 });
  });

  it('resumes after a restart from the last checkpoint, counting its own checkpoints as events', async () => {
    const inner = new InMemoryEventStore();
    const store = new ChainedEventStore(inner);
    const witness = new MemoryWitness();
    for (let i = 0; i < 12; i++) await store.append(`ballot-p-${i}`, [ev('BallotCast')]);
    await new Checkpointer({ store, key, witness, interval: 10 }).catchUp();
    for (let i = 0; i < 12; i++) await store.append(`ballot-q-${i}`, [ev('BallotCast')]);
    await new Checkpointer({ store, key, witness, interval: 10 }).catchUp();
    expect((await checkpoints(store)).map((c) => c.eventCount)).toEqual([10, 20]);
    const report = await verifyHistory({
      source: new StoreAuditSource(store, 'memory'),
      publicKey: key.publicKey,
      witnesses: [{ description: 'w', records: witness.records }],
    });
    expect(report).toMatchObject({ ok: true, checkpointsChecked: 2 });
  });

  it('witnesses on restart a checkpoint that reached the log but not the witness', async () => {
    const store = new ChainedEventStore(new InMemoryEventStore());
    for (let i = 0; i < 10; i++) await store.append(`ballot-p-${i}`, [ev('BallotCast')]);
    await new Checkpointer({ store, key, interval: 10 }).catchUp();
    const witness = new MemoryWitness();
    await new Checkpointer({ store, key, witness, interval: 10 }).catchUp();
    expect(witness.records.map((w) => w.sequence)).toEqual([0]);
  });

  it('checkpoints the tail on demand, once', async () => {
    const store = new ChainedEventStore(new InMemoryEventStore());
    const sut = new Checkpointer({ store, key, interval: 10 });
    for (let i = 0; i < 13; i++) await store.append(`ballot-p-${i}`, [ev('BallotCast')]);
    await sut.catchUp();
    expect(await sut.checkpointNow()).toMatchObject({ sequence: 1, eventCount: 13 });
    expect(await sut.checkpointNow()).toBeUndefined();
  });

  it('reports a failure while following the log, and starts again', async () => {
    const store = new ChainedEventStore(new InMemoryEventStore());
    for (let i = 0; i < 5; i++) await store.append(`ballot-p-${i}`, [ev('BallotCast')]);
    let failures = 0;
    const flaky = Object.create(store) as ChainedEventStore;
    flaky.readStream = (...args) => (failures++ === 0 ? Promise.reject(new Error('store unavailable')) : store.readStream(...args));
    const errors: unknown[] = [];
    const sut = new Checkpointer({ store: flaky, key, interval: 5, onError: (e) => errors.push(e), retryDelayMs: 5 });
    sut.start();
    for (let tries = 0; (await checkpoints(store)).length < 1 && tries < 100; tries++) await new Promise((r) => setTimeout(r, 10));
    await sut.stop();
    expect(errors).toEqual([new Error('store unavailable')]);
    expect((await checkpoints(store)).map((c) => c.eventCount)).toEqual([5]);
  });

  it('follows live appends until stopped', async () => {
    const store = new ChainedEventStore(new InMemoryEventStore());
    const sut = new Checkpointer({ store, key, interval: 5 });
    sut.start();
    for (let i = 0; i < 11; i++) await store.append(`ballot-p-${i}`, [{ id: randomUUID(), type: 'BallotCast', data: { i } }]);
    for (let tries = 0; (await checkpoints(store)).length < 2 && tries < 100; tries++) await new Promise((r) => setTimeout(r, 10));
    await sut.stop();
    expect((await checkpoints(store)).map((c) => c.eventCount)).toEqual([5, 10]);
    expect((await readEverything(store)).length).toBe(13);
  });
});
