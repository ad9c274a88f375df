import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { ChainedEventStore } from '../chain/chained-event-store';
import { CHECKPOINT_STREAM } from '../checkpoint/checkpoint';
import { writeHistory } from '../testing/history';
import { alterData, findRow, swapPositions, tamper, type StoredRow } from '../testing/sqlite-tamper';
import { testSigningKey } from '../testing/test-keys';
import { defaultWitnessPath, FileWitness } from '../witness/file-witness';
import { SqliteAuditSource } from './sources/sqlite-source';
import { StoreAuditSource } from './sources/store-source';
import { verifyHistory } from './verify-history';

// Real files and databases on a shared machine: generous time per test.
jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'civic-audit-'));
const key = testSigningKey();
let n = 0;

/** A fresh SQLite file holding a chained, checkpointed, witnessed history. */
async function history(): Promise<string> {
  const path = join(dir, `history-${++n}.sqlite`);
  const store = new ChainedEventStore(new SqliteEventStore({ path }));
  await writeHistory({ store, key, witness: new FileWitness(defaultWitnessPath(path)) });
  await store.close();
  return path;
}

async function verify(path: string, { witness = true, viaPort = false, workers = 0 } = {}) {
  const source = viaPort
    ? new StoreAuditSource(new SqliteEventStore({ path }), path)
    : new SqliteAuditSource(path, { workers, pageSize: 64 });
  const witnesses = witness ? [{ description: 'witness', records: await new FileWitness(defaultWitnessPath(path)).readAll() }] : [];
  try {
    return await verifyHistory({ source, publicKey: key.publicKey, witnesses });
  } finally {
    await source.close();
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit verify on a real SQLite file', () => {
  it('passes a clean history, through the raw reader, its worker threads and the port', async () => {
    const path = await history();
    const report = await verify(path);
    expect(report).toMatchObject({ ok: true, interrupted: false, failures: [], failureCount: 0 });
    expect(report.eventsChecked).toBeGreaterThan(150);
    expect(report.checkpointsChecked).toBeGreaterThanOrEqual(6);
    expect(report.streamsChecked).toBe(120 + 6 + 1 + 3 + 1);
    expect(report.lastCheckpoint).toMatchObject({ sequence: report.checkpointsChecked - 1 });
    expect(await verify(path, { viaPort: true })).toEqual(report);
    expect(await verify(path, { workers: 2 })).toEqual(report);
  });

  it('names the event whose data had one byte changed', async () => {
    const path = await history();
    const victim = alterData(path, `type = 'BallotCast' AND stream_name = 'ballot-pot1-v42'`, (data) => data.replace('"p', '"q'));
    const report = await verify(path);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({
      code: 'AUDIT.HASH_MISMATCH',
      position: String(victim.position),
      streamName: 'ballot-pot1-v42',
      revision: 0,
      eventId: victim.event_id,
    });
    expect(report.failures.map((f) => f.code)).toContain('AUDIT.CHECKPOINT_ROOT_MISMATCH');
    expect(await verify(path, { workers: 2 })).toEqual(report);
  });

  it('fails when an event in the middle is deleted, through either reader', async () => {
    const path = await history();
    const victim = tamper(path, (db) => {
      const row = findRow(db, `type = 'BallotCast' AND stream_name = 'ballot-pot1-v60'`);
      db.prepare('DELETE FROM events WHERE position = ?').run(row.position);
      return row;
    });
    const raw = await verify(path);
    expect(raw.ok).toBe(false);
    expect(raw.failures[0]).toMatchObject({ code: 'AUDIT.EVENTS_MISSING', position: String(victim.position + 1) });
    expect(await verify(path, { workers: 1 })).toEqual(raw);
    // Through the port, with no view of positions: the stream's chain and the next checkpoint show it.
    const port = await verify(path, { viaPort: true });
    expect(port.ok).toBe(false);
    expect(port.failures[0]).toMatchObject({ code: 'AUDIT.CHAIN_BROKEN', streamName: 'ballot-pot1-v60', revision: 1 });
    expect(port.failures.map((f) => f.code)).toContain('AUDIT.CHECKPOINT_ROOT_MISMATCH');
  });

  it('fails on a hole wider than a page, the same with and without worker threads', async () => {
    const path = await history();
    tamper(path, (db) => db.prepare('DELETE FROM events WHERE position BETWEEN 20 AND 150').run());
    const report = await verify(path);
    expect(report.failures[0]).toMatchObject({ code: 'AUDIT.EVENTS_MISSING', position: '151' });
    expect(await verify(path, { workers: 2 })).toEqual(report);
  });

  it('fails when two events of different streams swap places', async () => {
    const path = await history();
    let a!: StoredRow;
    let b!: StoredRow;
    tamper(path, (db) => {
      a = findRow(db, `stream_name = 'ballot-pot1-v12' AND revision = 0`);
      b = findRow(db, `stream_name = 'ballot-pot1-v11' AND revision = 0`);
      swapPositions(db, a.position, b.position);
    });
    const report = await verify(path);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({ code: 'AUDIT.CHECKPOINT_ROOT_MISMATCH', streamName: CHECKPOINT_STREAM });
  });

  it('fails when two events of one stream swap places, naming the first out of order', async () => {
    const path = await history();
    let first!: StoredRow;
    tamper(path, (db) => {
      first = findRow(db, `stream_name = 'ballot-pot1-v15' AND revision = 0`);
      const second = findRow(db, `stream_name = 'ballot-pot1-v15' AND revision = 1`);
      swapPositions(db, first.position, second.position);
    });
    const report = await verify(path);
    expect(report.failures[0]).toMatchObject({
      code: 'AUDIT.CHAIN_BROKEN',
      streamName: 'ballot-pot1-v15',
      revision: 1,
      position: String(first.position),
    });
  });

  describe('a tail cut off after a checkpoint, with the last checkpoint dropped', () => {
    /** Deletes the last checkpoint and everything after the one before it; `hide` also resets sqlite_sequence. */
    async function cut(hide: boolean): Promise<string> {
      const path = await history();
      tamper(path, (db) => {
        const last = findRow(db, `stream_name = '${CHECKPOINT_STREAM}' ORDER BY revision DESC --`);
        const kept = db
          .prepare(`SELECT position FROM events WHERE stream_name = ? AND revision = ?`)
          .get(CHECKPOINT_STREAM, last.revision - 1) as { position: number };
        db.prepare('DELETE FROM events WHERE position > ?').run(kept.position);
        if (hide) db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'`).run(kept.position);
      });
      return path;
    }

    it('fails on the witness and on the positions SQLite issued', async () => {
      const report = await verify(await cut(false));
      expect(report.ok).toBe(false);
      expect(report.failures.map((f) => f.code)).toEqual(['AUDIT.EVENTS_MISSING', 'AUDIT.CHECKPOINT_MISSING']);
    });

    it('fails on the witness alone when the attacker also rewinds sqlite_sequence', async () => {
      const report = await verify(await cut(true));
      expect(report.failures.map((f) => f.code)).toEqual(['AUDIT.CHECKPOINT_MISSING']);
    });

    it('fails on an auditor’s copy of the witness when the store’s own witness was cut too', async () => {
      const path = await cut(true);
      const copy = join(dir, 'auditor-copy.jsonl');
      writeFileSync(copy, require('node:fs').readFileSync(defaultWitnessPath(path)));
      writeFileSync(defaultWitnessPath(path), ''); // the attacker empties the store's witness
      const source = new SqliteAuditSource(path);
      const report = await verifyHistory({
        source,
        publicKey: key.publicKey,
        witnesses: [{ description: copy, records: await new FileWitness(copy).readAll() }],
      });
      await source.close();
      expect(report.failures[0]).toMatchObject({ code: 'AUDIT.CHECKPOINT_MISSING', streamName: CHECKPOINT_STREAM });
    });

    it('is undetectable with no witness and a rewound sqlite_sequence: what the log alone cannot prove', async () => {
      expect((await verify(await cut(true), { witness: false })).ok).toBe(true);
    });
  });

  it('fails on a checkpoint signed by another key, or with no key given', async () => {
    const path = await history();
    const source = new SqliteAuditSource(path);
    const other = await verifyHistory({ source, publicKey: testSigningKey().publicKey });
    expect(other.failures[0]).toMatchObject({ code: 'AUDIT.CHECKPOINT_SIGNATURE_INVALID', streamName: CHECKPOINT_STREAM, revision: 0 });
    const none = await verifyHistory({ source, publicKey: undefined });
    expect(none.failures.map((f) => f.code)).toEqual(['AUDIT.PUBLIC_KEY_REQUIRED']);
    await source.close();
  });

  it('stops between pages when interrupted and says so', async () => {
    const path = await history();
    const source = new SqliteAuditSource(path, { pageSize: 50 });
    const controller = new AbortController();
    const report = await verifyHistory({
      source,
      publicKey: key.publicKey,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await source.close();
    expect(report).toMatchObject({ ok: false, interrupted: true, eventsChecked: 50 });
  });
});
