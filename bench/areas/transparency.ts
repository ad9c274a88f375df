/**
 * `npm run bench -- transparency [--quick] [--events=N]`: a receipt's inclusion proof on a
 * history of 1,000,000 events, as the API answers it (the leaf looked up by hash in the node's
 * stored Merkle tree, its audit path read from the stored subtrees), against the same proof
 * computed by rehashing the history's leaves (what a server without the stored tree does),
 * in the same run; and the proof's verification (what the CLI and a browser do). Then, unless
 * `--no-browser`, in headless Chromium: the same proofs verified by the receipt page's code, and
 * results certificates re-run by the results page's bundle beside Node (transparency-browser.ts).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inclusionProof, MerkleFrontier, merkleLeaf, MerkleIndex, rootFromInclusionProof } from '@civic/audit';
import { printTable } from '../table';
import { browserMeasures } from './transparency-browser';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (ns: bigint) => Number(ns) / 1e6;

/** Times `fn` for each sample; returns sorted milliseconds. */
function timed<T>(samples: readonly T[], fn: (s: T) => void): number[] {
  return samples
    .map((s) => {
      const t = process.hrtime.bigint();
      fn(s);
      return ms(process.hrtime.bigint() - t);
    })
    .sort((a, b) => a - b);
}

export async function run(flags: string[]): Promise<void> {
  const quick = flags.includes('--quick');
  const count = Number(flags.find((f) => f.startsWith('--events='))?.split('=')[1] ?? (quick ? 100_000 : 1_000_000));
  const dir = mkdtempSync(join(tmpdir(), 'civic-bench-transparency-'));
  try {
    // One buffer for every event hash, so that a million small Buffers do not put GC pauses into the timings.
    const all = Buffer.alloc(count * 32);
    for (let i = 0; i < count; i++)
      createHash('sha256')
        .update(`event ${i}`)
        .digest()
        .copy(all, i * 32);
    const hashes = { at: (i: number) => all.subarray(i * 32, i * 32 + 32) };
    let t = process.hrtime.bigint();
    const index = MerkleIndex.open(join(dir, 'audit-index.sqlite'));
    for (let i = 0; i < count; i++) index.append(String(i * 2 + 1), hashes.at(i));
    index.flush();
    const buildMs = ms(process.hrtime.bigint() - t);
    const root = index.hashRange(0, count);

    // The server's work for one receipt: the leaf by hash, its audit path against the latest tree.
    const picks = Array.from({ length: quick ? 200 : 1000 }, (_, i) => Math.floor(((i * 7919) % 1000) * (count / 1000)));
    const proofs = new Map<number, Buffer[]>();
    const prove = (i: number) => inclusionProof(index.byHash(hashes.at(i))!.index, count, (a, b) => index.hashRange(a, b));
    for (const i of picks.slice(0, 50)) prove(i); // warm-up: statements compiled, pages cached
    const stored = timed(picks, (i) => {
      const leaf = index.byHash(hashes.at(i))!;
      proofs.set(
        i,
        inclusionProof(leaf.index, count, (a, b) => index.hashRange(a, b)),
      );
    });
    // Without the stored tree: every leaf rehashed, the path folded from them (a few samples: each is a whole pass).
    const leaves = (a: number, b: number) => {
      const frontier = new MerkleFrontier();
      for (let k = a; k < b; k++) frontier.push(merkleLeaf(hashes.at(k)));
      return frontier.root();
    };
    const rehashed = timed(picks.slice(0, 3), (i) => inclusionProof(i, count, leaves));
    const verified = timed(picks, (i) => {
      if (!rootFromInclusionProof(i, count, hashes.at(i), proofs.get(i)!)?.equals(root)) throw new Error('A stored proof did not verify');
    });
    t = process.hrtime.bigint();
    index.close();
    printTable(
      ['measure', 'p50 ms', 'p90 ms', 'p99 ms', 'samples', 'note'],
      [
        [
          `inclusion proof, stored tree (${count.toLocaleString('en')} events)`,
          stored[Math.floor(stored.length / 2)].toFixed(3),
          percentile(stored, 90).toFixed(3),
          percentile(stored, 99).toFixed(3),
          stored.length,
          `target p99 ≤ 20 ms: ${percentile(stored, 99) <= 20 ? 'ok' : 'MISSED'}`,
        ],
        [
          'inclusion proof, rehashing the history (baseline)',
          rehashed[Math.floor(rehashed.length / 2)].toFixed(1),
          percentile(rehashed, 90).toFixed(1),
          percentile(rehashed, 99).toFixed(1),
          rehashed.length,
          `stored tree ${(percentile(rehashed, 99) / percentile(stored, 99)).toFixed(0)}× faster at p99`,
        ],
        [
          'proof verification (Node, SHA-256)',
          verified[Math.floor(verified.length / 2)].toFixed(3),
          percentile(verified, 90).toFixed(3),
          percentile(verified, 99).toFixed(3),
          verified.length,
          `${proofs.get(picks[1])!.length} hashes a path`,
        ],
      ],
    );
    process.stdout.write(
      `index built in ${(buildMs / 1000).toFixed(1)} s (${Math.round(count / (buildMs / 1000)).toLocaleString('en')} leaves/s)\n`,
    );
    if (!flags.includes('--no-browser')) {
      const samples = picks.slice(0, quick ? 50 : 200).map((i) => ({ hash: hashes.at(i), leafIndex: i, path: proofs.get(i)! }));
      await browserMeasures(samples, root, count, quick);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
