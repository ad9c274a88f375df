import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { allocate, parsePabulib } from '@civic/allocation';
import {
  buildResultsCertificate,
  certificateFile,
  signResultsCertificate,
  verifyResultsCertificate,
  type SignedResultsCertificate,
} from '@civic/audit';
import { ballotReceipt as receipt, certificateInputs } from '../libs/audit/src/testing/certificate-inputs';
import { testSigningKey } from '../libs/audit/src/testing/test-keys';
import { EXPECTED, FILES, fixture, ruleKeysOf } from '../libs/allocation/test/fixtures';
import { loadCertificateChecker } from './support/verify-bundle';

const checker = loadCertificateChecker();
const key = testSigningKey();
const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('the browser’s certificate checker (the bundle the results page loads)', () => {
  // The conformance elections small enough for every test run (the two largest are for the conformance suite).
  const files = FILES.filter((f) => statSync(fixture(f)).size < 200_000);

  // The rule keys a certificate can name (libs/domain/src/fund/rule-keys.ts): Node's allocation is held to
  // expected.json under every key by the conformance suite; the bundle is held to the same outcomes under these.
  const CERTIFIED_RULES = new Set(['greedy_cost', 'mes_cost_add1_greedy', 'greedy_points', 'mes_points_add1_greedy']);
  it.each(files)('allocates %s as Node and the reference do, under every rule a certificate can name (or its first)', (file) => {
    const text = readFileSync(fixture(file), 'utf8');
    const election = checker.parsePabulib(text);
    const node = parsePabulib(text);
    const certified = ruleKeysOf(file).filter((r) => CERTIFIED_RULES.has(r));
    // A file the reference ran under other keys only (Kraków's ordinal ballots): its first key.
    const rules = certified.length > 0 ? certified : ruleKeysOf(file).slice(0, 1);
    for (const rule of rules) {
      const b = checker.allocate(election, rule);
      const expected = EXPECTED[file][rule];
      expect([rule, b.selected, b.totalCost.toString()]).toEqual([rule, expected.selection_order, expected.total_cost]);
      // And the whole order ties break by, which a certificate lists.
      expect(b.tieBreakOrder).toEqual(allocate(node, rule).tieBreakOrder);
    }
  });

  const inputs = (publication: 'linked' | 'unlinked' = 'linked') => certificateInputs(key, publication);
  const signed = buildResultsCertificate(inputs(), key);
  const file = certificateFile(signed);
  const edited = (edit: (c: any) => void, resign = true): string => {
    const certificate = structuredClone(signed.certificate) as any;
    edit(certificate);
    return certificateFile(resign ? signResultsCertificate(certificate, key) : ({ ...signed, certificate } as SignedResultsCertificate));
  };
  const both = async (text: string, force?: 'noble') => {
    const b = await checker.verifyCertificateInBrowser(text, pem, force);
    const n = verifyResultsCertificate(text, key.publicKey);
    return [b.ok ? 'ok' : b.code, n.ok ? 'ok' : n.code];
  };

  it('verifies a certificate as the CLI does, through WebCrypto and through @noble/ed25519', async () => {
    const verdict = await checker.verifyCertificateInBrowser(file, pem);
    expect(verdict).toMatchObject({ ok: true, potId: 'pot-1', ballots: 7, ed25519: 'webcrypto' });
    expect(verdict.ok && verdict.funded).toEqual(signed.certificate.funded);
    expect(await checker.verifyCertificateInBrowser(file, pem, 'noble')).toMatchObject({ ok: true, ed25519: 'noble' });
  });

  it('fails a changed amount, ballot or signature with the CLI’s codes, naming what differs', async () => {
    const first = signed.certificate.funded[0].proposalId;
    expect(await both(edited((c) => (c.funded[0].amount += 100), false))).toEqual([
      'CERTIFICATE.SIGNATURE_INVALID',
      'CERTIFICATE.SIGNATURE_INVALID',
    ]);
    const amount = edited((c) => (c.funded[0].amount += 100));
    expect(await both(amount)).toEqual(['CERTIFICATE.ALLOCATION_MISMATCH', 'CERTIFICATE.ALLOCATION_MISMATCH']);
    expect(await checker.verifyCertificateInBrowser(amount, pem)).toMatchObject({ differing: [first] });
    const dropped = edited(
      (c) => (c.computed = c.computed.map((l: any) => (l.proposalId === first ? { ...l, funded: false, amount: 0 } : l))),
    );
    expect(await checker.verifyCertificateInBrowser(dropped, pem)).toMatchObject({
      code: 'CERTIFICATE.ALLOCATION_MISMATCH',
      differing: [first],
    });
    const ballot = (c: any) => (c.pabulib.text = c.pabulib.text.replace(`${receipt(2)};p-c`, `${receipt(2)};p-d`));
    expect(await both(edited(ballot))).toEqual(['CERTIFICATE.PABULIB_MISMATCH', 'CERTIFICATE.PABULIB_MISMATCH']);
    const redigested = (c: any) => {
      ballot(c);
      c.pabulib.sha256 = createHash('sha256').update(c.pabulib.text).digest('hex');
    };
    expect(await both(edited(redigested))).toEqual(['CERTIFICATE.BALLOTS_MISMATCH', 'CERTIFICATE.BALLOTS_MISMATCH']);
    const value = Buffer.from(signed.signature.value, 'base64');
    value[5] ^= 1;
    const forged = certificateFile({ ...signed, signature: { ...signed.signature, value: value.toString('base64') } });
    expect(await both(forged)).toEqual(['CERTIFICATE.SIGNATURE_INVALID', 'CERTIFICATE.SIGNATURE_INVALID']);
    expect(await both(forged, 'noble')).toEqual(['CERTIFICATE.SIGNATURE_INVALID', 'CERTIFICATE.SIGNATURE_INVALID']);
    const otherPem = testSigningKey().publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(await checker.verifyCertificateInBrowser(file, otherPem)).toMatchObject({ ok: false, code: 'CERTIFICATE.KEY_MISMATCH' });
    expect(await both('{"not":"a certificate"}')).toEqual(['CERTIFICATE.MALFORMED', 'CERTIFICATE.MALFORMED']);
  });

  it('re-runs an unlinked certificate: ballots numbered by their marks, the receipts listed apart', async () => {
    const unlinked = buildResultsCertificate(inputs('unlinked'), key);
    const text = certificateFile(unlinked);
    expect(await both(text)).toEqual(['ok', 'ok']);
    expect(unlinked.certificate.funded).toEqual(signed.certificate.funded);
    expect(unlinked.certificate.countedReceipts).toEqual([...Array(7).keys()].map(receipt).sort());
    // The pabulib file names no receipt: a receipt does not lead to its marks.
    for (let i = 0; i < 7; i++) expect(unlinked.certificate.pabulib.text).not.toContain(receipt(i));
    const lost = certificateFile(
      signResultsCertificate({ ...unlinked.certificate, countedReceipts: unlinked.certificate.countedReceipts!.slice(1) }, key),
    );
    expect(await both(lost)).toEqual(['CERTIFICATE.BALLOTS_MISMATCH', 'CERTIFICATE.BALLOTS_MISMATCH']);
  });
});
