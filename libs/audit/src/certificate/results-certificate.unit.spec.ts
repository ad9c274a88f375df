import { createHash } from 'node:crypto';
import { allocate } from '@civic/allocation';
import { signCheckpoint, type CheckpointBody } from '../checkpoint/checkpoint';
import { canonicalJson } from '../hash/canonical-json';
import { checkPublishedCheckpoint, publishCheckpoint } from '../receipt/published-checkpoint';
import { signText } from '../signing/signing-key';
import { testSigningKey } from '../testing/test-keys';
import { buildResultsCertificate, type CertificateInputs } from './build-certificate';
import {
  certificateFile,
  certificateSignatureValid,
  certifiedElection,
  signResultsCertificate,
  type SignedResultsCertificate,
} from './results-certificate';
import { verifyResultsCertificate } from './verify-certificate';

const key = testSigningKey();
const receipt = (i: number) => createHash('sha256').update(`ballot ${i}`).digest('hex');

/** A pot of £100,000 with four proposals and seven counted ballots, computed as the platform computes it. */
function inputs(): CertificateInputs {
  const projects = [
    { id: 'p-a', cost: 4_000_000 },
    { id: 'p-b', cost: 3_000_000 },
    { id: 'p-c', cost: 5_000_000 },
    { id: 'p-d', cost: 2_000_000 },
  ];
  const picks = [['p-a', 'p-b'], ['p-a'], ['p-c'], ['p-c', 'p-d'], ['p-b', 'p-d'], ['p-a', 'p-c'], ['p-d']];
  const ballots = picks.map((proposalIds, i) => ({ receipt: receipt(i), proposalIds }));
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

const code = (file: string, publicKey = key.publicKey) => {
  const verdict = verifyResultsCertificate(file, publicKey);
  return verdict.ok ? 'ok' : verdict.code;
};
/** A forger's edit: the certificate changed, then signed again with the audit key (the worst case), or not. */
const edited = (signed: SignedResultsCertificate, edit: (c: any) => void, resign = true): string => {
  const certificate = structuredClone(signed.certificate) as any;
  edit(certificate);
  return certificateFile(resign ? signResultsCertificate(certificate, key) : { ...signed, certificate });
};

describe(verifyResultsCertificate.name, () => {
  const signed = buildResultsCertificate(inputs(), key);
  const file = certificateFile(signed);

  it('verifies a certificate from the file alone, re-running the rule on its pabulib ballots', () => {
    expect(file).toBe(canonicalJson(JSON.parse(file)));
    const verdict = verifyResultsCertificate(file, key.publicKey);
    expect(verdict).toMatchObject({ ok: true, potId: 'pot-1', ballots: 7 });
    expect(signed.certificate.funded.length).toBeGreaterThan(0);
    expect(signed.certificate.tieBreak.order).toHaveLength(4);
    // Voters appear by receipt hash only.
    for (let i = 0; i < 7; i++) expect(signed.certificate.pabulib.text).toContain(receipt(i));
  });

  it('fails a changed amount, ballot or signature, and a certificate signed by another key', () => {
    const first = signed.certificate.funded[0].proposalId;
    const amount = (c: any) => (c.funded[0].amount += 100);
    expect(code(edited(signed, amount, false))).toBe('CERTIFICATE.SIGNATURE_INVALID');
    expect(code(edited(signed, amount))).toBe('CERTIFICATE.ALLOCATION_MISMATCH');
    expect(
      code(
        edited(signed, (c) => (c.computed = c.computed.map((l: any) => (l.proposalId === first ? { ...l, funded: false, amount: 0 } : l)))),
      ),
    ).toBe('CERTIFICATE.ALLOCATION_MISMATCH');
    const ballot = (c: any) => (c.pabulib.text = c.pabulib.text.replace(`${receipt(2)};p-c`, `${receipt(2)};p-d`));
    expect(code(edited(signed, ballot))).toBe('CERTIFICATE.PABULIB_MISMATCH');
    const redigested = (c: any) => {
      ballot(c);
      c.pabulib.sha256 = createHash('sha256').update(c.pabulib.text).digest('hex');
    };
    expect(code(edited(signed, redigested))).toBe('CERTIFICATE.BALLOTS_MISMATCH');
    expect(code(edited(signed, (c) => (c.tieBreak.order = [...c.tieBreak.order].reverse())))).toBe('CERTIFICATE.TIE_BREAK_MISMATCH');
    const value = Buffer.from(signed.signature.value, 'base64');
    value[5] ^= 1;
    expect(code(certificateFile({ ...signed, signature: { ...signed.signature, value: value.toString('base64') } }))).toBe(
      'CERTIFICATE.SIGNATURE_INVALID',
    );
    expect(code(file, testSigningKey().publicKey)).toBe('CERTIFICATE.KEY_MISMATCH');
  });

  it('accepts an override with its reason, and refuses one without', () => {
    const winner = signed.certificate.computed.find((l) => l.funded)!;
    const overridden = buildResultsCertificate(
      { ...inputs(), overrides: [{ proposalId: winner.proposalId, funded: false, amount: 0, reason: 'The site was sold' }] },
      key,
    );
    expect(code(certificateFile(overridden))).toBe('ok');
    expect(overridden.certificate.funded.map((f) => f.proposalId)).not.toContain(winner.proposalId);
    expect(overridden.certificate.totalCost).toBe(signed.certificate.totalCost - winner.amount);
    expect(code(edited(overridden, (c) => (c.overrides[0].reason = '')))).toBe('CERTIFICATE.ALLOCATION_MISMATCH');
    expect(code(edited(overridden, (c) => (c.overrides = [])))).toBe('CERTIFICATE.ALLOCATION_MISMATCH');
  });

  it('keeps certificate and checkpoint signatures apart: neither passes for the other', () => {
    // A certificate signature presented as a checkpoint's over the certificate's JSON.
    const asCheckpoint = {
      ...signed.certificate.checkpoint,
      signedText: canonicalJson(signed.certificate as never),
      signature: signed.signature.value,
    };
    expect(checkPublishedCheckpoint(asCheckpoint, key.publicKey).ok).toBe(false);
    // A signature made as checkpoints are signed (plain RFC 8785 text), presented as the certificate's.
    const plain = signText(key, canonicalJson(signed.certificate as never));
    expect(certificateSignatureValid({ ...signed, signature: { ...signed.signature, value: plain } }, key.publicKey)).toBe(false);
    // A checkpoint's own signature presented as a certificate's.
    expect(
      certificateSignatureValid(
        { ...signed, signature: { ...signed.signature, value: signed.certificate.checkpoint.signature } },
        key.publicKey,
      ),
    ).toBe(false);
  });
});
