import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@civic/event-store-postgres';
import { ChainedEventStore } from '../chain/chained-event-store';
import { CHECKPOINT_STREAM } from '../checkpoint/checkpoint';
import { writeHistory } from '../testing/history';
import { testSigningKey } from '../testing/test-keys';
import { PgWitness } from '../witness/pg-witness';
import { StoreAuditSource } from './sources/store-source';
import { verifyHistory } from './verify-history';

// Real files and databases on a shared machine: generous time per test.
jest.setTimeout(60_000);

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `audit_${randomBytes(4).toString('hex')}`;
const pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
const key = testSigningKey();
let n = 0;

/** A fresh schema holding a chained, checkpointed history witnessed in its audit_witness table. */
async function history(): Promise<string> {
  const schema = `${prefix}_${++n}`;
  const store = new ChainedEventStore(await PostgresEventStore.connect({ connectionString: DATABASE_URL, schema }));
  await writeHistory({ store, key, witness: new PgWitness(pool, schema), voters: 80 });
  await store.close();
  return schema;
}

async function verify(schema: string) {
  const source = new StoreAuditSource(await PostgresEventStore.connect({ connectionString: DATABASE_URL, schema }), schema);
  try {
    const records = await new PgWitness(pool, schema).readAll();
    return await verifyHistory({ source, publicKey: key.publicKey, witnesses: [{ description: `${schema}.audit_witness`, records }] });
  } finally {
    await source.close();
  }
}

interface Row {
  xid: string;
  position: string;
  event_id: string;
  stream_name: string;
  revision: string;
  data: string;
}

async function row(schema: string, where: string, values: unknown[] = []): Promise<Row> {
  const { rows } = await pool.query<Row>(
    `SELECT transaction_id::text AS xid, position::text, event_id::text, stream_name, revision::text, data FROM "${schema}".events WHERE ${where} ORDER BY transaction_id, position LIMIT 1`,
    values,
  );
  return rows[0];
}

afterAll(async () => {
  const { rows } = await pool.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${prefix}\\_%`]);
  for (const { nspname } of rows) await pool.query(`DROP SCHEMA "${nspname}" CASCADE`);
  await pool.end();
});

describe('audit verify on a real PostgreSQL database', () => {
  it('passes a clean history', async () => {
    const report = await verify(await history());
    expect(report).toMatchObject({ ok: true, failures: [] });
    expect(report.checkpointsChecked).toBeGreaterThanOrEqual(5);
  });

  it('names the event whose data had one byte changed', async () => {
    const schema = await history();
    const victim = await row(schema, `stream_name = 'ballot-pot1-v33'`);
    await pool.query(`UPDATE "${schema}".events SET data = $1 WHERE event_id = $2`, [victim.data.replace('"p', '"q'), victim.event_id]);
    const report = await verify(schema);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({
      code: 'AUDIT.HASH_MISMATCH',
      eventId: victim.event_id,
      streamName: 'ballot-pot1-v33',
      revision: 0,
    });
  });

  it('fails when an event in the middle is deleted', async () => {
    const schema = await history();
    const victim = await row(schema, `stream_name = 'ballot-pot1-v20' AND revision = 0`);
    await pool.query(`DELETE FROM "${schema}".events WHERE event_id = $1`, [victim.event_id]);
    const report = await verify(schema);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({ code: 'AUDIT.CHAIN_BROKEN', streamName: 'ballot-pot1-v20', revision: 1 });
  });

  it('fails when two events swap places in the global order', async () => {
    const schema = await history();
    const a = await row(schema, `stream_name = 'ballot-pot1-v11'`);
    const b = await row(schema, `stream_name = 'ballot-pot1-v12'`);
    const move = `UPDATE "${schema}".events SET transaction_id = $1::xid8, position = $2 WHERE event_id = $3`;
    await pool.query(`UPDATE "${schema}".events SET position = -1 WHERE event_id = $1`, [a.event_id]);
    await pool.query(move, [a.xid, a.position, b.event_id]);
    await pool.query(move, [b.xid, b.position, a.event_id]);
    const report = await verify(schema);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({ code: 'AUDIT.CHECKPOINT_ROOT_MISMATCH', streamName: CHECKPOINT_STREAM });
  });

  it('fails when the tail after a checkpoint is cut off and the last checkpoint dropped', async () => {
    const schema = await history();
    const { rows } = await pool.query<{ revision: string }>(
      `SELECT max(revision)::text AS revision FROM "${schema}".events WHERE stream_name = $1`,
      [CHECKPOINT_STREAM],
    );
    const kept = await row(schema, 'stream_name = $1 AND revision = $2', [CHECKPOINT_STREAM, Number(rows[0].revision) - 1]);
    await pool.query(`DELETE FROM "${schema}".events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)`, [kept.xid, kept.position]);
    const report = await verify(schema);
    expect(report.ok).toBe(false);
    expect(report.failures.map((f) => f.code)).toEqual(['AUDIT.CHECKPOINT_MISSING']);
  });
});
