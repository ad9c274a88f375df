import { loadPublicKey, verifyResultsCertificate } from '@civic/audit';
import { startApi } from './support/api-client';
import { demoCertificate } from './support/demo-certificate';
import { loadCertificateChecker } from './support/verify-bundle';

/** The demo's published pot replays a real election under the Method of Equal Shares: its certificate re-runs it. */
it('certifies the demo’s published pot: the certificate re-runs to the published allocation from the file alone, in Node and in the browser’s bundle', async () => {
  const api = await startApi();
  try {
    const { potId, file, publicKeyPem } = await demoCertificate(api);
    const results = (await api.gql(`query($p: ID!) { results(potId: $p) { totalCost lines { proposalId funded amount } } }`, { p: potId }))
      .data.results;
    const verdict = verifyResultsCertificate(file, loadPublicKey(publicKeyPem));
    expect(verdict).toMatchObject({ ok: true, potId, ballots: 229 });
    const published = results.lines
      .filter((l: { funded: boolean }) => l.funded)
      .map((l: { proposalId: string; amount: string }) => ({ proposalId: l.proposalId, amount: Number(l.amount) }));
    expect(verdict.ok && [...verdict.funded].sort((a, b) => (a.proposalId < b.proposalId ? -1 : 1))).toEqual(
      published.sort((a: { proposalId: string }, b: { proposalId: string }) => (a.proposalId < b.proposalId ? -1 : 1)),
    );
    expect(JSON.parse(file).certificate.rule.key).toBe('mes_cost_add1_greedy');
    // The browser's checker (the bundle the results page loads) re-runs the same file to the same allocation.
    const inBrowser = await loadCertificateChecker().verifyCertificateInBrowser(file, publicKeyPem);
    expect(inBrowser).toMatchObject({ ok: true, potId, ballots: 229 });
    expect(inBrowser.ok && inBrowser.funded).toEqual(verdict.ok && verdict.funded);
  } finally {
    await api.stop();
  }
}, 120_000);
