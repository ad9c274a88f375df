import type { CertifiedBallot } from '@civic/audit';
import { readCategories, toDomainEvent } from '@civic/application';
import { ballotDecider, paperBatchDecider, streams, type BallotEvent, type BallotState, type PaperBatchState } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import { splitChain } from '@civic/audit';

/** A counted ballot as the public sees it once results are published: its receipt, its marks, where it came from. */
export type BoardBallot = CertifiedBallot & { readonly channel: 'online' | 'paper' | 'assisted'; readonly batchId?: string };

export interface PotBallots {
  readonly counted: BoardBallot[];
  /** Each voided ballot under the receipt of its latest marks, with the public reason. */
  readonly voided: { readonly receipt: string; readonly reason: string }[];
  readonly paperBatches: Extract<PaperBatchState, { status: 'recorded' }>[];
}

/**
 * The ballots of one pot as they stand, each under its voter's receipt (the chain hash of its
 * latest cast or replacement): never the pseudonym. Folds the ballots as the allocation does
 * (`PlatformReader.countedBallots`), and the pot's paper batches. Only this pot's ballot streams
 * are folded (`ballot-<pot>-<voter>`): a city's other pots would hold every other ballot in
 * memory for each pot's board.
 */
export async function readPotBallots(store: EventStore, potId: string): Promise<PotBallots> {
  const states = new Map<string, BallotState>();
  const receipts = new Map<string, string>();
  const batches = new Map<string, PaperBatchState>();
  const ofPot = streams.ballot(potId, '');
  for await (const e of readCategories(store, ['ballot', 'paperbatch'])) {
    if (e.streamName.startsWith('paperbatch-')) {
      batches.set(e.streamName, paperBatchDecider.evolve(batches.get(e.streamName) ?? paperBatchDecider.initialState(), toDomainEvent(e)));
      continue;
    }
    if (!e.streamName.startsWith(ofPot)) continue;
    states.set(e.streamName, ballotDecider.evolve(states.get(e.streamName) ?? ballotDecider.initialState(), toDomainEvent<BallotEvent>(e)));
    const hash = splitChain(e.metadata).link?.hash;
    if ((e.type === 'BallotCast' || e.type === 'BallotReplaced') && hash) receipts.set(e.streamName, hash);
  }
  const counted: BoardBallot[] = [];
  const voided: PotBallots['voided'] = [];
  const byReceipt = (a: { receipt: string }, b: { receipt: string }) => (a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0);
  for (const [stream, s] of states) {
    if (s.status === 'none' || s.potId !== potId) continue;
    const receipt = receipts.get(stream)!;
    if (s.status === 'voided') voided.push({ receipt, reason: s.reason });
    if (s.status !== 'cast') continue;
    const marks = s.content.kind === 'cumulative' ? { points: s.content.points } : { proposalIds: s.content.proposalIds };
    // A kiosk's ballot shows as assisted, never with its officer, place or kiosk (those are staff's).
    const source =
      s.source.channel === 'paper'
        ? { channel: 'paper' as const, batchId: s.source.batchId }
        : { channel: s.source.channel === 'assisted' ? ('assisted' as const) : ('online' as const) };
    counted.push({ receipt, ...marks, ...source });
  }
  const paperBatches = [...batches.values()].flatMap((b) => (b.status === 'recorded' && b.potId === potId ? [b] : []));
  return { counted: counted.sort(byReceipt), voided: voided.sort(byReceipt), paperBatches };
}
