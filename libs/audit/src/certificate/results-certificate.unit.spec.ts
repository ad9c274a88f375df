import { createHash } from 'node:crypto';
import type { JsonValue } from '@civic/event-store';
import { canonicalJson } from '../hash/canonical-json';
import { checkPublishedCheckpoint } from '../receipt/published-checkpoint';
import { signText } from '../signing/signing-key';
import { testSigningKey } from '../testing/test-keys';
import { ballotReceipt, certificateInputs } from '../testing/certificate-inputs';
import { buildResultsCertificate } from './build-certificate';
import { ballotsDigest } from './certificate';
import { certificateFile, certificateSignatureValid, signResultsCertificate, type SignedResultsCertificate } from './results-certificate';
import { verifyResultsCertificate } from './verify-certificate';

const key = testSigningKey();
const receipt = ballotReceipt;
const inputs = () => certificateInputs(key);

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

describe(ballotsDigest.name, () => {
  it('is the SHA-256 of the RFC 8785 form of the ballots by receipt, each with its marks', () => {
    const ballots = [
      { receipt: 'b'.repeat(64), points: [{ proposalId: 'p2', points: 3 }] },
      { receipt: 'a'.repeat(64), proposalIds: ['p1', 'p3'] },
      { receipt: 'c'.repeat(64) },
    ];
    const list: JsonValue = [
      { voter: 'a'.repeat(64), marks: { p1: 1, p3: 1 } },
      { voter: 'b'.repeat(64), marks: { p2: 3 } },
      { voter: 'c'.repeat(64), marks: {} },
    ];
    expect(ballotsDigest(ballots)).toBe(createHash('sha256').update(canonicalJson(list), 'utf8').digest('hex'));
  });
});
