/**
 * The transparency bench's browser half: a results certificate re-run in headless Chromium by
 * the bundle the results page loads (certificate-check.js), beside the same check in Node in
 * the same run, for the demo's published pot and for a 10,000-ballot pot; and receipts'
 * inclusion proofs verified in Chromium by the receipt page's code (WebCrypto SHA-256 and Ed25519).
 */
import { randomBytes } from 'node:crypto';
import { chromium, type Page } from 'playwright-core';
import { allocate } from '@civic/allocation';
import {
  buildResultsCertificate,
  certificateFile,
  certifiedElection,
  loadPublicKey,
  publishCheckpoint,
  signCheckpoint,
  verifyResultsCertificate,
  type PublishedCheckpoint,
  type SigningKey,
} from '@civic/audit';
import { testSigningKey } from '../../libs/audit/src/testing/test-keys';
import { startApi } from '../../test/support/api-client';
import { demoCertificate } from '../../test/support/demo-certificate';
import { verifyBundleText } from '../../test/support/verify-bundle';
import { printTable } from '../table';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** A proof of the Node half, for Chromium to verify: the event hash, its leaf index and audit path. */
export interface ProofSample {
  readonly hash: Buffer;
  readonly leafIndex: number;
  readonly path: readonly Buffer[];
}

/** The demo's published pot's certificate, as the API issues it, and the audit key's PEM. */
async function demoPot(): Promise<{ file: string; pem: string }> {
  const api = await startApi();
  try {
    const { file, publicKeyPem } = await demoCertificate(api);
    return { file, pem: publicKeyPem };
  } finally {
    await api.stop();
  }
}

/** A Method of Equal Shares pot of 30 proposals and `voters` approval ballots (1 to 5 picks, popularity skewed), certified. */
function syntheticCertificate(key: SigningKey, checkpoint: PublishedCheckpoint, voters: number): string {
  const projects = Array.from({ length: 30 }, (_, i) => ({ id: `p-${String(i).padStart(2, '0')}`, cost: (5 + ((i * 7) % 20)) * 100_000 }));
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const ballots = Array.from({ length: voters }, () => {
    const picks = new Set<string>();
    const n = 1 + Math.floor(next() * 5);
    while (picks.size < n) picks.add(projects[Math.floor(next() ** 2 * projects.length)].id);
    return { receipt: randomBytes(32).toString('hex'), proposalIds: [...picks] };
  });
  const budget = 50_000_000;
  const rule = 'mes_cost_add1_greedy';
  const tieBreak = { kind: 'equalshares' as const, seed: 'bench' };
  const result = allocate(certifiedElection({ budget, voteType: 'approval', projects, ballots }), rule, {
    tieBreak: 'equalshares',
    seed: 'bench',
  });
  const funded = new Set(result.selected);
  return certificateFile(
    buildResultsCertificate(
      {
        fundId: 'bench-fund',
        potId: 'bench-pot',
        potName: 'Bench pot',
        budget,
        ballotType: { kind: 'approval', minPicks: 1, maxPicks: 5 },
        ruleKey: rule,
        tieBreak,
        projects,
        ballots,
        recorded: {
          ruleVersion: result.ruleVersion,
          lines: projects.map((p) => ({ proposalId: p.id, funded: funded.has(p.id), amount: funded.has(p.id) ? p.cost : 0 })),
          inputDigest: '00'.repeat(32),
        },
        overrides: [],
        checkpoint,
        software: { name: 'civic-ledger', version: 'bench' },
      },
      key,
    ),
  );
}

/** Node's whole check (signature, files, the rule re-run, the checkpoint), `runs` times after one warm-up: milliseconds. */
function inNode(file: string, pem: string, runs: number): number[] {
  const key = loadPublicKey(pem);
  return Array.from({ length: runs + 1 }, () => {
    const t = process.hrtime.bigint();
    const verdict = verifyResultsCertificate(file, key);
    if (!verdict.ok) throw new Error(`Node refused the certificate: ${verdict.code}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  }).slice(1);
}

/** Chromium's whole check by the results page's bundle, `runs` times after one warm-up: milliseconds. */
async function inChromium(page: Page, file: string, pem: string, runs: number): Promise<number[]> {
  return page.evaluate(
    async ({ file, pem, runs }) => {
      const check = (globalThis as unknown as { civicCheck: typeof import('../../apps/web/assets/verify/certificate-check') }).civicCheck;
      const times: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const t = performance.now();
        const verdict = await check.verifyCertificateInBrowser(file, pem);
        if (!verdict.ok) throw new Error(`The browser refused the certificate: ${verdict.code}`);
        times.push(performance.now() - t);
      }
      return times.slice(1);
    },
    { file, pem, runs },
  );
}

export async function browserMeasures(proofs: readonly ProofSample[], root: Buffer, count: number, quick: boolean): Promise<void> {
  const key = testSigningKey();
  const body = {
    sequence: 1,
    upToPosition: String(count * 2),
    eventCount: count,
    merkleRoot: root.toString('hex'),
    previousCheckpointHash: null,
    reason: 'interval' as const,
    keyId: key.keyId,
    frontier: [],
  };
  const checkpoint = publishCheckpoint(signCheckpoint(body, key), { id: 'bench-checkpoint', position: String(count * 2 + 1) });
  const demo = await demoPot();
  const voters = quick ? 2_000 : 10_000;
  const large = { file: syntheticCertificate(key, checkpoint, voters), pem: key.publicPem };
  const runs = quick ? 3 : 5;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await (await browser.newContext()).newPage();
    // A page of a secure origin (WebCrypto's subtle API is there only), served by the route itself.
    await page.route('https://bench.invalid/', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }),
    );
    await page.goto('https://bench.invalid/');
    await page.addScriptTag({ content: verifyBundleText('certificate-check.ts', 'iife', 'civicCheck') });
    const rows: (string | number)[][] = [];
    for (const [name, c] of [
      ['demo’s published pot', demo],
      [`${voters.toLocaleString('en')}-ballot pot (30 proposals)`, large],
    ] as const) {
      const node = inNode(c.file, c.pem, runs);
      const chrome = await inChromium(page, c.file, c.pem, runs);
      rows.push([
        `certificate re-run, ${name}`,
        median(node).toFixed(1),
        median(chrome).toFixed(1),
        `${(median(chrome) / median(node)).toFixed(2)}× Node`,
        `${runs} runs each after a warm-up, ${(c.file.length / 1024).toFixed(0)} KB file`,
      ]);
    }
    // The receipt page's check of a proof of the history above, in Chromium.
    await page.addScriptTag({ content: verifyBundleText('proof.ts', 'iife', 'civicProof') });
    const samples = proofs.map((p) => ({
      hash: p.hash.toString('hex'),
      proof: { leafIndex: p.leafIndex, treeSize: count, auditPath: p.path.map((h) => h.toString('hex')) },
      checkpoint: {
        sequence: 1,
        eventCount: count,
        merkleRoot: body.merkleRoot,
        keyId: key.keyId,
        signature: checkpoint.signature,
        signedText: checkpoint.signedText,
      },
    }));
    const proofTimes = await page.evaluate(
      async ({ samples, pem }) => {
        const proof = (globalThis as unknown as { civicProof: typeof import('../../apps/web/assets/verify/proof') }).civicProof;
        const times: number[] = [];
        for (const s of samples) {
          const t = performance.now();
          const verdict = await proof.verifyReceiptInBrowser(s, pem, s.hash);
          if (!verdict.ok) throw new Error(`The browser refused a proof: ${verdict.code}`);
          times.push(performance.now() - t);
        }
        return times;
      },
      { samples, pem: key.publicPem },
    );
    printTable(['measure', 'Node ms (median)', 'Chromium ms (median)', 'ratio', 'note'], rows);
    printTable(
      ['measure', 'p50 ms', 'p90 ms', 'p99 ms', 'samples', 'note'],
      [
        [
          `proof verification in Chromium (${count.toLocaleString('en')} events)`,
          percentile(proofTimes, 50).toFixed(2),
          percentile(proofTimes, 90).toFixed(2),
          percentile(proofTimes, 99).toFixed(2),
          proofTimes.length,
          `WebCrypto SHA-256 + Ed25519; target p99 ≤ 50 ms: ${percentile(proofTimes, 99) <= 50 ? 'ok' : 'MISSED'}`,
        ],
      ],
    );
  } finally {
    await browser.close();
  }
}
