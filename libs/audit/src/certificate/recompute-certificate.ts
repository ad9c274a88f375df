// Pure: the Node verifier (verify-certificate.ts) and the browser's (apps/web/assets/verify/certificate.ts) share it.
import { allocate, parsePabulib, Rational, type Election } from '@civic/allocation';
import {
  ballotsDigest,
  CERTIFICATE_FORMAT,
  certifiedElection,
  fundedAfterOverrides,
  sha256Hex,
  type CertifiedBallot,
  type SignedResultsCertificate,
} from './certificate';

export const CERTIFICATE_FAILURES = [
  'CERTIFICATE.MALFORMED',
  /** Signed by another key than the one given. */
  'CERTIFICATE.KEY_MISMATCH',
  /** The signature does not verify over the certificate in its own signing context. */
  'CERTIFICATE.SIGNATURE_INVALID',
  /** The pabulib file is not the one digested, or does not hold the certificate's projects and budget. */
  'CERTIFICATE.PABULIB_MISMATCH',
  /** The ballots of the pabulib file do not give the certificate's ballot count and digest (or, unlinked, its receipt count). */
  'CERTIFICATE.BALLOTS_MISMATCH',
  /** Re-running the rule does not give the certificate's allocation, or the published lines do not add up. */
  'CERTIFICATE.ALLOCATION_MISMATCH',
  /** The rule breaks ties in another order than the certificate lists. */
  'CERTIFICATE.TIE_BREAK_MISMATCH',
  /** The covering checkpoint's signature does not verify. */
  'CERTIFICATE.CHECKPOINT_INVALID',
] as const;
export type CertificateFailureCode = (typeof CERTIFICATE_FAILURES)[number];

export type CertificateFailure = {
  readonly ok: false;
  readonly code: CertificateFailureCode;
  readonly message: string;
  /** The proposals whose computed or published line differs from the re-run (ALLOCATION_MISMATCH). */
  readonly differing?: readonly string[];
};

export type CertificateVerdict =
  | {
      readonly ok: true;
      readonly potId: string;
      readonly ballots: number;
      readonly funded: readonly { proposalId: string; amount: number }[];
      readonly recomputeMs: number;
    }
  | CertificateFailure;

export const certificateFailure = (code: CertificateFailureCode, message: string, differing?: string[]): CertificateFailure => ({
  ok: false,
  code,
  message,
  ...(differing && { differing }),
});
const fail = certificateFailure;

/** The certificate file parsed and its shape checked; a failure when it is not one. */
export function readCertificate(fileText: string): SignedResultsCertificate | CertificateFailure {
  let signed: SignedResultsCertificate;
  try {
    signed = JSON.parse(fileText) as SignedResultsCertificate;
  } catch {
    return fail('CERTIFICATE.MALFORMED', 'The certificate is not JSON.');
  }
  const c = signed?.certificate;
  if (
    c?.format !== CERTIFICATE_FORMAT ||
    !Array.isArray(c.projects) ||
    !Array.isArray(c.computed) ||
    !Array.isArray(c.overrides) ||
    !Array.isArray(c.funded) ||
    !c.pabulib ||
    typeof signed.signature?.value !== 'string'
  )
    return fail('CERTIFICATE.MALFORMED', `This is not a ${CERTIFICATE_FORMAT} certificate.`);
  return signed;
}

/** The ballots of a pabulib file, with their voter ids as receipts (linked) or as plain numbers (unlinked). */
function ballotsOf(election: Election): CertifiedBallot[] {
  return election.ballots.map((b) => ({
    receipt: b.voterId ?? '',
    ...(b.points
      ? { points: b.items.map((proposalId, i) => ({ proposalId, points: Number(b.points![i].toDecimalString()) })) }
      : { proposalIds: [...b.items] }),
  }));
}

const RECEIPT = /^[0-9a-f]{64}$/;

/**
 * Everything a certificate states that needs no key: the pabulib file against its digest and the
 * certificate's projects and budget, the ballots against their digest (and, unlinked, the
 * counted receipts against the ballot count), then the rule re-run on those ballots, compared
 * line by line, with the tie-break order and the total. `now` is a millisecond clock.
 */
export function recomputeCertificate(signed: SignedResultsCertificate, now: () => number): CertificateVerdict {
  const c = signed.certificate;
  if (sha256Hex(c.pabulib.text) !== c.pabulib.sha256)
    return fail('CERTIFICATE.PABULIB_MISMATCH', 'The pabulib file is not the one its digest names.');
  let file: Election;
  try {
    file = parsePabulib(c.pabulib.text);
  } catch (err) {
    return fail('CERTIFICATE.PABULIB_MISMATCH', `The pabulib file does not parse: ${(err as Error).message}`);
  }
  const pounds = (pence: number) => Rational.of(BigInt(pence), 100n);
  const sameProjects =
    file.projects.length === c.projects.length &&
    c.projects.every((p, i) => file.projects[i].id === p.id && file.projects[i].cost.eq(pounds(p.cost)));
  if (!sameProjects || !file.budget.eq(pounds(c.budget)))
    return fail('CERTIFICATE.PABULIB_MISMATCH', 'The pabulib file holds other projects, costs or budget than the certificate.');
  const ballots = ballotsOf(file);
  if (ballots.length !== c.ballots.count || ballotsDigest(ballots) !== c.ballots.digest)
    return fail('CERTIFICATE.BALLOTS_MISMATCH', 'The ballots of the pabulib file do not give the certificate’s ballot count and digest.');
  if (c.publication === 'unlinked') {
    const receipts = c.countedReceipts ?? [];
    const sortedUnique = receipts.every((r, i) => RECEIPT.test(r) && (i === 0 || receipts[i - 1] < r));
    if (receipts.length !== c.ballots.count || !sortedUnique)
      return fail('CERTIFICATE.BALLOTS_MISMATCH', 'The counted receipts are not one distinct receipt hash per counted ballot.');
  }

  const started = now();
  const election = certifiedElection({
    budget: c.budget,
    voteType: c.ballotType.kind as Election['voteType'],
    projects: c.projects,
    ballots,
  });
  let result: ReturnType<typeof allocate>;
  try {
    result = allocate(
      election,
      c.rule.key,
      c.tieBreak.kind === 'number'
        ? // By proposal number: the certificate's own order list is the tie-break, and must be what the rule applies.
          { tieBreak: 'order', order: c.tieBreak.order }
        : c.tieBreak.kind === 'equalshares'
          ? { tieBreak: 'equalshares', seed: c.tieBreak.seed ?? undefined }
          : { tieBreak: 'lexico' },
    );
  } catch (err) {
    return fail('CERTIFICATE.ALLOCATION_MISMATCH', `The rule cannot be re-run: ${(err as Error).message}`);
  }
  const recomputeMs = now() - started;
  if (result.ruleVersion !== c.rule.version)
    return fail(
      'CERTIFICATE.ALLOCATION_MISMATCH',
      `The rule is at version ${result.ruleVersion} here, ${c.rule.version} in the certificate.`,
    );
  if (JSON.stringify(result.tieBreakOrder) !== JSON.stringify(c.tieBreak.order))
    return fail('CERTIFICATE.TIE_BREAK_MISMATCH', 'The rule breaks ties in another order than the certificate lists.');
  const funded = new Set(result.selected);
  const cost = new Map(c.projects.map((p) => [p.id, p.cost]));
  const recomputed = c.projects.map((p) => ({ proposalId: p.id, funded: funded.has(p.id), amount: funded.has(p.id) ? p.cost : 0 }));
  const stated = new Map(c.computed.map((l) => [l.proposalId, l]));
  const differing = recomputed
    .filter((l) => stated.get(l.proposalId)?.funded !== l.funded || stated.get(l.proposalId)?.amount !== l.amount)
    .map((l) => l.proposalId);
  if (differing.length > 0 || c.computed.length !== recomputed.length)
    return fail(
      'CERTIFICATE.ALLOCATION_MISMATCH',
      'Re-running the rule on the ballots gives another allocation than the certificate states.',
      differing,
    );
  // What was published: the computed lines with the council's overrides, each with a reason.
  if (
    c.overrides.some(
      (o) => !o.reason || !cost.has(o.proposalId) || (o.funded && o.amount !== cost.get(o.proposalId)) || (!o.funded && o.amount !== 0),
    )
  )
    return fail('CERTIFICATE.ALLOCATION_MISMATCH', 'An override names no reason, an unknown proposal, or another amount than its cost.');
  const final = fundedAfterOverrides(recomputed, c.overrides);
  const total = final.reduce((sum, l) => sum + l.amount, 0);
  const published = new Map(c.funded.map((l) => [l.proposalId, l.amount]));
  const finalIds = new Set(final.map((l) => l.proposalId));
  const publishedDiffer = [
    ...final.filter((l) => published.get(l.proposalId) !== l.amount).map((l) => l.proposalId),
    ...[...published.keys()].filter((id) => !finalIds.has(id)),
  ];
  if (
    JSON.stringify(final) !== JSON.stringify(c.funded.map(({ proposalId, amount }) => ({ proposalId, amount }))) ||
    total !== c.totalCost ||
    total > c.budget
  )
    return fail(
      'CERTIFICATE.ALLOCATION_MISMATCH',
      'The funded proposals, their amounts or their total are not those the rule and the overrides give.',
      publishedDiffer,
    );
  return { ok: true, potId: c.potId, ballots: c.ballots.count, funded: c.funded, recomputeMs };
}
