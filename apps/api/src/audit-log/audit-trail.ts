import type { AppConfig } from '@civic/config';
import { ChainedEventStore, Checkpointer, FileWitness, loadSigningKey, PgWitness, type SigningKey, type WitnessPort } from '@civic/audit';
import type { EventStore } from '@civic/event-store';
import { Pool } from 'pg';

/** The tamper-evident history around a store: every append chained, checkpoints signed and witnessed. */
export interface AuditTrail {
  readonly store: EventStore;
  readonly key: SigningKey;
  readonly checkpointer: Checkpointer;
  /** Stops following, takes a last checkpoint over the tail, releases the witness. */
  close(): Promise<void>;
}

export function auditTrail(config: AppConfig, inner: EventStore, signingKeyPem: string, onError: (err: unknown) => void): AuditTrail {
  const store = new ChainedEventStore(inner);
  const key = loadSigningKey(signingKeyPem);
  let pool: Pool | undefined;
  let witness: WitnessPort | undefined;
  if (config.EVENT_STORE === 'sqlite' && config.SQLITE_PATH !== ':memory:')
    witness = new FileWitness(`${config.SQLITE_PATH}.witness.jsonl`);
  if (config.EVENT_STORE === 'postgres') {
    pool = new Pool({ connectionString: config.DATABASE_URL, max: 2 });
    witness = new PgWitness(pool, config.DATABASE_SCHEMA);
  }
  const checkpointer = new Checkpointer({ store, key, witness, interval: config.AUDIT_CHECKPOINT_INTERVAL, onError });
  return {
    store,
    key,
    checkpointer,
    async close() {
      await checkpointer.stop();
      await checkpointer.checkpointNow().catch(onError);
      await pool?.end();
    },
  };
}
