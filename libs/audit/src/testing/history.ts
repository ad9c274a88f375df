import { randomUUID } from 'node:crypto';
import type { EventStore } from '@civic/event-store';
import { Checkpointer } from '../checkpoint/checkpointer';
import type { SigningKey } from '../signing/signing-key';
import type { WitnessPort } from '../witness/witness.port';

export interface HistoryOptions {
  /** A chained store. */
  readonly store: EventStore;
  readonly key: SigningKey;
  readonly witness?: WitnessPort;
  /** @defaultValue 120 */
  readonly voters?: number;
  /** @defaultValue 25 */
  readonly interval?: number;
}

const e = (type: string, data: Record<string, unknown>) => ({
  id: randomUUID(),
  type,
  data: data as never,
  metadata: { actor: { role: 'resident', pseudonym: 'p' }, schemaVersion: 1 },
});

/**
 * A small fund's life with checkpoints interleaved as a live Checkpointer would take them:
 * setup, proposals, a ballot per voter (every fifth replaced), the close of voting, and a
 * tail of events after the last checkpoint.
 */
export async function writeHistory(options: HistoryOptions): Promise<{ checkpointer: Checkpointer }> {
  const { store } = options;
  const checkpointer = new Checkpointer({ store, key: options.key, witness: options.witness, interval: options.interval ?? 25 });
  const voters = options.voters ?? 120;
  await store.append('fund-f1', [e('FundCreated', { fundId: 'f1', name: 'You Decide' }), e('ProposalsOpened', { fundId: 'f1' })], {
    expectedRevision: 'no_stream',
  });
  for (let p = 1; p <= 6; p++)
    await store.append(`proposal-${p}`, [e('ProposalSubmitted', { title: `Project ${p} — বাংলা`, cost: p * 1000 })]);
  await store.append('fund-f1', [e('ReviewStarted', { fundId: 'f1' }), e('VotingOpened', { fundId: 'f1' })]);
  await checkpointer.catchUp();
  for (let v = 0; v < voters; v++) {
    await store.append(`ballot-pot1-v${v}`, [e('BallotCast', { picks: [`p${v % 6}`, `p${(v * 7) % 6}`] })], {
      expectedRevision: 'no_stream',
    });
    if (v % 5 === 0)
      await store.append(`ballot-pot1-v${v}`, [e('BallotReplaced', { picks: [`p${(v + 1) % 6}`] })], { expectedRevision: 0 });
    if (v % 40 === 39) await checkpointer.catchUp();
  }
  await store.append('fund-f1', [e('VotingClosed', { fundId: 'f1' })]);
  await checkpointer.catchUp();
  for (let i = 0; i < 7; i++) await store.append(`delivery-${i % 3}`, [e('DeliveryReported', { note: `update ${i}` })]);
  return { checkpointer };
}
