import { hash, type KeyObject } from 'node:crypto';
import { allocate, parsePabulib, Rational, type Election } from '@civic/allocation';
import { checkPublishedCheckpoint } from '../receipt/published-checkpoint';
import { keyIdOf } from '../signing/signing-key';
import {
  ballotsDigest,
  CERTIFICATE_CONTEXT,
  CERTIFICATE_FORMAT,
  certificateSignatureValid,
  certifiedElection,
  fundedAfterOverrides,
  type CertifiedBallot,
  type SignedResultsCertificate,
} from './results-certificate';

export const CERTIFICATE_FAILURES = [
  'CERTIFICATE.MALFORMED',
  /** Signed by another key than the one given. */
  'CERTIFICATE.KEY_MISMATCH',
  /** The signature does not verify over the certificate in its own signing context. */
  'CERTIFICATE.SIGNATURE_INVALID',
  /** The pabulib file is not the one digested, or does not hold the certificate's projects and budget. */
  'CERTIFICATE.PABULIB_MISMATCH',
  /** The ballots of the pabulib file do not give the certificate's ballot count and digest. */
  'CERTIFICATE.BALLOTS_MISMATCH',
  /** Re-running the rule does not give the certificate's allocation, or the published lines do not add up. */
  'CERTIFICATE.ALLOCATION_MISMATCH',
  /** The rule breaks ties in another order than the certificate lists. */
  'CERTIFICATE.TIE_BREAK_MISMATCH',
  /** The covering checkpoint's signature does not verify. */
  'CERTIFICATE.CHECKPOINT_INVALID',
] as const;
export type CertificateFailureCode = (typeof CERTIFICATE_FAILURES)[number];

export type CertificateVerdict =
  | {
      readonly ok: true;
      readonly potId: string;
      readonly ballots: number;
      readonly funded: readonly { proposalId: string; amount: number }[];
      readonly recomputeMs: number;
    }
  | { readonly ok: false; readonly code: CertificateFailureCode; readonly message: string };

const fail = (code: CertificateFailureCode, message: string): CertificateVerdict => ({ ok: false, code, message });

/** The ballots of a pabulib file, with their voter ids as receipts. */
function ballotsOf(election: Election): CertifiedBallot[] {
  return election.ballots.map((b) => ({
    receipt: b.voterId ?? '',
    ...(b.points
      ? { points: b.items.map((proposalId, i) => ({ proposalId, points: Number(b.points![i].toDecimalString()) })) }
      : { proposalIds: [...b.items] }),
  }));
}

/**
 * Checks a results certificate from the file alone: its signature by `publicKey` in the
 * certificate context, the pabulib file against its digest and the certificate's projects and
 * budget, the ballots against their digest, then re-runs the rule on those ballots and compares
 * every line, the tie-break order and the total; and the covering checkpoint's signature.
 */
export function verifyResultsCertificate(fileText: string, publicKey: KeyObject): CertificateVerdict {
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
    !c.pabulib
  )
    return fail('CERTIFICATE.MALFORMED', `This is not a ${CERTIFICATE_FORMAT} certificate.`);
  if (signed.signature?.keyId !== keyIdOf(publicKey))
    return fail('CERTIFICATE.KEY_MISMATCH', `The certificate is signed by ${signed.signature?.keyId}, not by the given key.`);
  if (signed.signature.context !== CERTIFICATE_CONTEXT || !certificateSignatureValid(signed, publicKey))
    return fail('CERTIFICATE.SIGNATURE_INVALID', 'The certificate’s signature does not verify with the given key.');

  if (hash('sha256', c.pabulib.text, 'hex') !== c.pabulib.sha256)
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

  const started = process.hrtime.bigint();
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
  const recomputeMs = Number(process.hrtime.bigint() - started) / 1e6;
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
  const byId = <L extends { proposalId: string }>(lines: readonly L[]): L[] =>
    [...lines].sort((a, b) => (a.proposalId < b.proposalId ? -1 : 1));
  const computed = byId(c.computed).map(({ proposalId, funded: f, amount }) => ({ proposalId, funded: f, amount }));
  if (JSON.stringify(computed) !== JSON.stringify(byId(recomputed)))
    return fail(
      'CERTIFICATE.ALLOCATION_MISMATCH',
      'Re-running the rule on the ballots gives another allocation than the certificate states.',
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
  if (
    JSON.stringify(final) !== JSON.stringify(c.funded.map(({ proposalId, amount }) => ({ proposalId, amount }))) ||
    total !== c.totalCost ||
    total > c.budget
  )
    return fail(
      'CERTIFICATE.ALLOCATION_MISMATCH',
      'The funded proposals, their amounts or their total are not those the rule and the overrides give.',
    );

  if (!checkPublishedCheckpoint(c.checkpoint, publicKey).ok)
    return fail('CERTIFICATE.CHECKPOINT_INVALID', 'The covering checkpoint’s signature does not verify with the given key.');
  return {
    ok: true,
    potId: c.potId,
    ballots: c.ballots.count,
    funded: c.funded,
    recomputeMs,
  };
}
