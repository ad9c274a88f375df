import type { AppConfig } from '@civic/config';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  ChainedEventStore,
  Checkpointer,
  FileWitness,
  loadSigningKey,
  MerkleIndex,
  PgWitness,
  type SigningKey,
  type WitnessPort,
} from '@civic/audit';
import type { EventStore } from '@civic/event-store';
import { Pool } from 'pg';

/** The tamper-evident history around a store: every append chained, checkpoints signed and witnessed. */
export interface AuditTrail {
  readonly store: EventStore;
  readonly key: SigningKey;
  readonly checkpointer: Checkpointer;
  /** This node's stored Merkle tree of the history, that receipts' proofs are answered from. */
  readonly index: MerkleIndex;
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
  if (config.AUDIT_INDEX_PATH !== ':memory:') mkdirSync(dirname(config.AUDIT_INDEX_PATH), { recursive: true });
  const index = MerkleIndex.open(config.AUDIT_INDEX_PATH);
  const checkpointer = new Checkpointer({
    store,
    key,
    witness,
    index,
    interval: config.AUDIT_CHECKPOINT_INTERVAL,
    maxDelayMs: config.AUDIT_CHECKPOINT_MAX_DELAY_SECONDS * 1000,
    onError,
  });
  return {
    store,
    key,
    checkpointer,
    index,
    async close() {
      await checkpointer.stop();
      await checkpointer.checkpointNow().catch(onError);
      index.close();
      await pool?.end();
    },
  };
}
