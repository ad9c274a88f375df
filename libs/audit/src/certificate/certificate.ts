// Pure: no node:crypto, no node:fs. The browser re-runs a certificate with this very code (apps/web/assets/verify/).
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { createElection, Rational, type Election } from '@civic/allocation';
import type { JsonObject, JsonValue } from '@civic/event-store';
import { canonicalJson, writeCanonicalJson } from '../hash/canonical-json';
import type { PublishedCheckpoint } from '../receipt/published-checkpoint';

/** Hex SHA-256 of a text's UTF-8 bytes, the same in Node and in a browser. */
export const sha256Hex = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)));

/**
 * The signing context of a results certificate: signed bytes are this line, a newline, then the
 * RFC 8785 form of the certificate. A checkpoint's signed bytes are the RFC 8785 form of its
 * body, which starts with `{`: neither signature can pass for the other.
 */
export const CERTIFICATE_CONTEXT = 'civic-ledger results certificate v1';
export const CERTIFICATE_FORMAT = 'civic-ledger/results-certificate/1';

/** One counted ballot, as the public may see it: the receipt hash of its event, and its marks. */
export interface CertifiedBallot {
  /** The chain hash of the ballot's latest cast or replacement: the voter's receipt. */
  readonly receipt: string;
  /** Approval and knapsack: the proposals picked; cumulative: the points given. */
  readonly proposalIds?: readonly string[];
  readonly points?: readonly { readonly proposalId: string; readonly points: number }[];
}

export interface CertifiedLine {
  readonly proposalId: string;
  readonly funded: boolean;
  /** Pence. */
  readonly amount: number;
}

/** What a certificate states. Money in pence, integers. */
export interface ResultsCertificate {
  readonly format: typeof CERTIFICATE_FORMAT;
  readonly fundId: string;
  readonly potId: string;
  readonly potName: string;
  readonly budget: number;
  readonly ballotType: JsonObject;
  /** The key of `@civic/allocation` (pabutools' rule name) and its version. */
  readonly rule: { readonly key: string; readonly version: string };
  /** The full order ties break by (every proposal, the winner of every tie first), and the seed of its lot. */
  readonly tieBreak: {
    readonly kind: 'lexico' | 'equalshares' | 'number';
    readonly seed: string | null;
    readonly order: readonly string[];
  };
  /** The accepted proposals with their official costs, by id. */
  readonly projects: readonly { readonly id: string; readonly cost: number }[];
  /**
   * The fund's choice, fixed before voting opened: `linked` (the default) names each ballot in the
   * pabulib file by its receipt hash, so a receipt shows its marks; `unlinked` numbers the ballots
   * instead and lists the counted receipts apart, so a receipt proves it was counted, not what it said.
   */
  readonly publication?: 'linked' | 'unlinked';
  /** Unlinked only: every counted ballot's receipt hash, sorted (the pabulib file does not name them). */
  readonly countedReceipts?: readonly string[];
  /** The counted ballots: how many, and the SHA-256 of the RFC 8785 form of `[{ voter: receipt, marks: { id: weight } }]`, by receipt. */
  readonly ballots: { readonly count: number; readonly digest: string };
  /** The counted ballots as a pabulib file (money in pounds; voter_id is each ballot's receipt hash), and its SHA-256. */
  readonly pabulib: { readonly sha256: string; readonly text: string };
  /** What the rule computed, one line per accepted proposal. */
  readonly computed: readonly CertifiedLine[];
  /** The council's overrides of computed lines before ratification, in order, each with its reason. */
  readonly overrides: readonly (CertifiedLine & { readonly reason: string })[];
  /** What was published: the proposals funded once the overrides apply, by id, and their total. */
  readonly funded: readonly { readonly proposalId: string; readonly amount: number }[];
  readonly totalCost: number;
  /** The digest of the allocation's inputs recorded in the history (it names voters by pseudonym: for auditors). */
  readonly auditInputDigest: string;
  /** A signed checkpoint of the history that covers every ballot counted. */
  readonly checkpoint: PublishedCheckpoint;
  readonly software: { readonly name: string; readonly version: string };
}

export interface SignedResultsCertificate {
  readonly certificate: ResultsCertificate;
  readonly signature: { readonly context: typeof CERTIFICATE_CONTEXT; readonly keyId: string; readonly value: string };
}

const weights = (b: CertifiedBallot): Record<string, number> =>
  b.points
    ? Object.fromEntries(b.points.map((p) => [p.proposalId, p.points]))
    : Object.fromEntries((b.proposalIds ?? []).map((id) => [id, 1]));

/** The public digest of the counted ballots (no pseudonym in it). */
export function ballotsDigest(ballots: readonly CertifiedBallot[]): string {
  const list = [...ballots]
    .sort((a, b) => (a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0))
    .map((b) => ({ voter: b.receipt, marks: weights(b) }));
  // Hashed as it is written: a city's pot is megabytes of canonical text.
  const hash = sha256.create();
  writeCanonicalJson(list, (text) => hash.update(utf8ToBytes(text)));
  return bytesToHex(hash.digest());
}

/** The election of a pot as the platform runs it: money in pounds (pence / 100), ballots by receipt. */
export function certifiedElection(input: {
  budget: number;
  voteType: Election['voteType'];
  projects: readonly { id: string; cost: number }[];
  ballots: readonly CertifiedBallot[];
}): Election {
  const pounds = (pence: number) => Rational.of(BigInt(pence), 100n);
  return createElection({
    budget: pounds(input.budget),
    voteType: input.voteType,
    projects: input.projects.map((p) => ({ id: p.id, cost: pounds(p.cost) })),
    ballots: [...input.ballots]
      .sort((a, b) => (a.receipt < b.receipt ? -1 : 1))
      .map((b) =>
        b.points
          ? { voterId: b.receipt, items: b.points.map((p) => p.proposalId), points: b.points.map((p) => Rational.from(p.points)) }
          : { voterId: b.receipt, items: [...(b.proposalIds ?? [])] },
      ),
  });
}

/** The computed lines with the overrides applied: the funded proposals, by id. */
export function fundedAfterOverrides(
  computed: readonly CertifiedLine[],
  overrides: readonly CertifiedLine[],
): { proposalId: string; amount: number }[] {
  const lines = new Map(computed.map((l) => [l.proposalId, l]));
  for (const o of overrides) lines.set(o.proposalId, o);
  return [...lines.values()]
    .filter((l) => l.funded)
    .map(({ proposalId, amount }) => ({ proposalId, amount }))
    .sort((a, b) => (a.proposalId < b.proposalId ? -1 : 1));
}

/** The bytes a certificate's signature covers: the context line, a newline, the RFC 8785 form of the certificate. */
export const certificateSignedText = (certificate: ResultsCertificate): string =>
  `${CERTIFICATE_CONTEXT}\n${canonicalJson(certificate as unknown as JsonObject)}`;

/**
 * The counted ballots as the public gets them. `linked`: each under its receipt hash.
 * `unlinked`: numbered 1…n in the order of their marks (so the numbers say nothing of the
 * receipts), with the receipts apart, sorted.
 */
export function publishedBallots(
  counted: readonly CertifiedBallot[],
  publication: 'linked' | 'unlinked' = 'linked',
): { ballots: CertifiedBallot[]; countedReceipts?: string[] } {
  if (publication === 'linked') return { ballots: [...counted] };
  const keyed = counted.map((b) => ({ b, key: canonicalJson(weights(b) as unknown as JsonValue) }));
  keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const width = String(counted.length).length;
  return {
    ballots: keyed.map(({ b }, i) => {
      const { proposalIds, points } = b;
      return { receipt: String(i + 1).padStart(width, '0'), ...(points ? { points } : { proposalIds }) };
    }),
    countedReceipts: counted.map((b) => b.receipt).sort(),
  };
}
