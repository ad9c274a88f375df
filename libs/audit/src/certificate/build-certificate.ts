import { allocate, type Election } from '@civic/allocation';
import type { JsonObject } from '@civic/event-store';
import type { PublishedCheckpoint } from '../receipt/published-checkpoint';
import type { SigningKey } from '../signing/signing-key';
import {
  ballotsDigest,
  CERTIFICATE_FORMAT,
  certifiedElection,
  certifiedPabulib,
  fundedAfterOverrides,
  publishedBallots,
  signResultsCertificate,
  type CertifiedBallot,
  type CertifiedLine,
  type SignedResultsCertificate,
} from './results-certificate';

/** What a pot's certificate is made from, as the history records it. Money in pence. */
export interface CertificateInputs {
  readonly fundId: string;
  readonly potId: string;
  readonly potName: string;
  readonly budget: number;
  readonly ballotType: JsonObject & { readonly kind: string };
  readonly ruleKey: string;
  /** `number`: the accepted proposals' ids in the order of their public numbers (first wins a tie). */
  readonly tieBreak:
    | { readonly kind: 'lexico' }
    | { readonly kind: 'equalshares'; readonly seed: string }
    | { readonly kind: 'number'; readonly order: readonly string[] };
  /** Accepted proposals and their official costs. */
  readonly projects: readonly { readonly id: string; readonly cost: number }[];
  readonly ballots: readonly CertifiedBallot[];
  /** The fund's choice: linked (the default) or unlinked receipts and marks. */
  readonly publication?: 'linked' | 'unlinked';
  /** The recorded allocation: the rule's version and lines, and the auditors' input digest. */
  readonly recorded: { readonly ruleVersion: string; readonly lines: readonly CertifiedLine[]; readonly inputDigest: string };
  /** The council's overrides, in order, with their reasons. */
  readonly overrides: readonly (CertifiedLine & { readonly reason: string })[];
  readonly checkpoint: PublishedCheckpoint;
  readonly software: { readonly name: string; readonly version: string };
}

/** Builds and signs a pot's results certificate; the tie-break order is the one the rule applies to these ballots. */
export function buildResultsCertificate(inputs: CertificateInputs, key: SigningKey): SignedResultsCertificate {
  const projects = [...inputs.projects].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const publication = inputs.publication ?? 'linked';
  const { ballots, countedReceipts } = publishedBallots(inputs.ballots, publication);
  const election = certifiedElection({
    budget: inputs.budget,
    voteType: inputs.ballotType.kind as Election['voteType'],
    projects,
    ballots,
  });
  const seed = inputs.tieBreak.kind === 'equalshares' ? inputs.tieBreak.seed : undefined;
  const rerun = allocate(
    election,
    inputs.ruleKey,
    inputs.tieBreak.kind === 'number'
      ? { tieBreak: 'order', order: inputs.tieBreak.order }
      : seed === undefined
        ? { tieBreak: 'lexico' }
        : { tieBreak: 'equalshares', seed },
  );
  const line = ({ proposalId, funded, amount }: CertifiedLine): CertifiedLine => ({ proposalId, funded, amount });
  const funded = fundedAfterOverrides(inputs.recorded.lines, inputs.overrides);
  return signResultsCertificate(
    {
      format: CERTIFICATE_FORMAT,
      fundId: inputs.fundId,
      potId: inputs.potId,
      potName: inputs.potName,
      budget: inputs.budget,
      ballotType: inputs.ballotType,
      rule: { key: inputs.ruleKey, version: inputs.recorded.ruleVersion },
      tieBreak: { kind: inputs.tieBreak.kind, seed: seed ?? null, order: rerun.tieBreakOrder },
      projects,
      publication,
      ...(countedReceipts && { countedReceipts }),
      ballots: { count: ballots.length, digest: ballotsDigest(ballots) },
      pabulib: certifiedPabulib(election, {
        description:
          publication === 'linked'
            ? `${inputs.potName}: the counted ballots; voter_id is each ballot's receipt hash`
            : `${inputs.potName}: the counted ballots, numbered in the order of their marks (unlinked from the receipts)`,
        unit: inputs.potName,
      }),
      computed: inputs.recorded.lines.map(line),
      overrides: inputs.overrides.map((o) => ({ ...line(o), reason: o.reason })),
      funded,
      totalCost: funded.reduce((sum, l) => sum + l.amount, 0),
      auditInputDigest: inputs.recorded.inputDigest,
      checkpoint: inputs.checkpoint,
      software: inputs.software,
    },
    key,
  );
}
