import type { Pool } from 'pg';
import { quoteSchema } from '@civic/event-store-postgres/schema/schema-name';
import type { WitnessPort, WitnessRecord } from './witness.port';

/**
 * A witness table, `<schema>.audit_witness`, beside the events of a PostgreSQL store. It
 * shares the database with the log, so it guards against a cut made through the store's
 * own tables or tools, not against an administrator who edits both: keep an auditor's copy
 * (`audit verify --witness`) for that.
 */
export class PgWitness implements WitnessPort {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    quoteSchema(schema); // a bad name is refused at once
  }

  private get table(): string {
    return `${quoteSchema(this.schema)}.audit_witness`;
  }

  async record(record: WitnessRecord): Promise<void> {
    await this.ensureTable();
    await this.pool.query(`INSERT INTO ${this.table} (sequence, record) VALUES ($1, $2) ON CONFLICT (sequence) DO NOTHING`, [
      record.sequence,
      JSON.stringify(record),
    ]);
  }

  async readAll(): Promise<WitnessRecord[]> {
    const { rows } = await this.pool.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [this.table]);
    if (!rows[0].exists) return [];
    const result = await this.pool.query<{ record: string }>(`SELECT record FROM ${this.table} ORDER BY sequence`);
    return result.rows.map((r) => JSON.parse(r.record) as WitnessRecord);
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.pool
      .query(
        `CREATE SCHEMA IF NOT EXISTS ${quoteSchema(this.schema)}; CREATE TABLE IF NOT EXISTS ${this.table} (sequence bigint PRIMARY KEY, record text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`,
      )
      .then(() => undefined);
    return this.ready;
  }
}
