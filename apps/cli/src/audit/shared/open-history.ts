import { existsSync } from 'node:fs';
import type { AuditSource, WitnessRecord } from '@civic/audit';
import { openPortStore } from './open-store';
import { UsageError, type StoreChoice } from './store-options';

export interface OpenedHistory {
  readonly source: AuditSource;
  /** The witness the store keeps beside itself, when there is one. */
  readonly storeWitness: { description: string; records: WitnessRecord[] } | undefined;
  close(): Promise<void>;
}

/**
 * Opens a history for reading: SQLite through the audit's read-only raw reader, PostgreSQL
 * through the store's port (and its `audit_witness` table), EventStoreDB through the port.
 */
export async function openHistory(choice: StoreChoice, options: { workers?: number } = {}): Promise<OpenedHistory> {
  const audit = await import('@civic/audit');
  switch (choice.kind) {
    case 'sqlite': {
      if (!existsSync(choice.path)) throw new UsageError(`No SQLite event store at ${choice.path}`);
      const source = new audit.SqliteAuditSource(choice.path, { workers: options.workers });
      const witnessPath = audit.defaultWitnessPath(choice.path);
      const storeWitness = existsSync(witnessPath)
        ? { description: witnessPath, records: await new audit.FileWitness(witnessPath).readAll() }
        : undefined;
      return { source, storeWitness, close: () => source.close() };
    }
    case 'postgres': {
      const [{ store, description }, { Pool }] = await Promise.all([openPortStore(choice), import('pg')]);
      const pool = new Pool({ connectionString: choice.connectionString, max: 1 });
      try {
        const records = await new audit.PgWitness(pool, choice.schema).readAll();
        const storeWitness = records.length > 0 ? { description: `${choice.schema}.audit_witness`, records } : undefined;
        const source = new audit.StoreAuditSource(store, description, 5000);
        return { source, storeWitness, close: () => source.close() };
      } finally {
        await pool.end();
      }
    }
    case 'eventstoredb': {
      // No witness is kept beside an EventStoreDB store: pass the auditor's copies (--witness).
      const { store, description } = await openPortStore(choice);
      const source = new audit.StoreAuditSource(store, description, 5000);
      return { source, storeWitness: undefined, close: () => source.close() };
    }
  }
}
