import { createHash } from 'node:crypto';
import { allocate } from '@civic/allocation';
import { signCheckpoint, type CheckpointBody } from '../checkpoint/checkpoint';
import type { CertificateInputs } from '../certificate/build-certificate';
import { certifiedElection } from '../certificate/certificate';
import { publishCheckpoint } from '../receipt/published-checkpoint';
import type { SigningKey } from '../signing/signing-key';

/** The receipt hash of the i-th ballot of {@link certificateInputs}. */
export const ballotReceipt = (i: number): string => createHash('sha256').update(`ballot ${i}`).digest('hex');

/** A pot of £100,000 with four proposals and seven counted ballots, computed as the platform computes it. */
export function certificateInputs(key: SigningKey, publication: 'linked' | 'unlinked' = 'linked'): CertificateInputs {
  const projects = [
    { id: 'p-a', cost: 4_000_000 },
    { id: 'p-b', cost: 3_000_000 },
    { id: 'p-c', cost: 5_000_000 },
    { id: 'p-d', cost: 2_000_000 },
  ];
  const picks = [['p-a', 'p-b'], ['p-a'], ['p-c'], ['p-c', 'p-d'], ['p-b', 'p-d'], ['p-a', 'p-c'], ['p-d']];
  const ballots = picks.map((proposalIds, i) => ({ receipt: ballotReceipt(i), proposalIds }));
  const budget = 10_000_000;
  const election = certifiedElection({ budget, voteType: 'approval', projects, ballots });
  const result = allocate(election, 'mes_cost_add1_greedy', { tieBreak: 'equalshares', seed: 'drawn 2027-03-01' });
  const funded = new Set(result.selected);
  const body: CheckpointBody = {
    sequence: 3,
    upToPosition: '41',
    eventCount: 41,
    merkleRoot: 'ab'.repeat(32),
    previousCheckpointHash: null,
    reason: 'phase_change',
    keyId: key.keyId,
    frontier: [],
  };
  return {
    fundId: 'fund-1',
    potId: 'pot-1',
    potName: 'Bow East',
    budget,
    ballotType: { kind: 'approval', minPicks: 1, maxPicks: 2 },
    ruleKey: 'mes_cost_add1_greedy',
    tieBreak: { kind: 'equalshares', seed: 'drawn 2027-03-01' },
    projects,
    ballots,
    publication,
    recorded: {
      ruleVersion: result.ruleVersion,
      lines: projects.map((p) => ({ proposalId: p.id, funded: funded.has(p.id), amount: funded.has(p.id) ? p.cost : 0 })),
      inputDigest: 'cd'.repeat(32),
    },
    overrides: [],
    checkpoint: publishCheckpoint(signCheckpoint(body, key), { id: 'e-41', position: '42' }),
    software: { name: 'civic-ledger', version: '0.1.0' },
  };
}
