import { createHash } from 'node:crypto';
import { merkleLeaf, merkleRootOf } from './merkle';
import { MerkleIndex } from './merkle-index';
import { consistencyProof, inclusionProof, rootFromInclusionProof, verifyConsistency } from './merkle-proof';

const sha = (text: string) => createHash('sha256').update(text).digest();
const eventHashes = (n: number) => Array.from({ length: n }, (_, i) => sha(`event ${i}`));

// RFC 6962 §2.1.1 and §2.1.2 as written (recursive, over leaf hashes): the reference the stored-tree proofs must equal.
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
const PATH = (m: number, d: Buffer[]): Buffer[] => {
  if (d.length <= 1) return [];
  const k = split(d.length);
  return m < k ? [...PATH(m, d.slice(0, k)), merkleRootOf(d.slice(k))] : [...PATH(m - k, d.slice(k)), merkleRootOf(d.slice(0, k))];
};
const SUBPROOF = (m: number, d: Buffer[], b: boolean): Buffer[] => {
  if (m === d.length) return b ? [] : [merkleRootOf(d)];
  const k = split(d.length);
  return m <= k
    ? [...SUBPROOF(m, d.slice(0, k), b), merkleRootOf(d.slice(k))]
    : [...SUBPROOF(m - k, d.slice(k), false), merkleRootOf(d.slice(0, k))];
};

describe('RFC 6962 proofs from the stored tree', () => {
  const N = 40;
  const events = eventHashes(N);
  const leaves = events.map(merkleLeaf);
  const index = MerkleIndex.open(':memory:');
  events.forEach((e, i) => index.append(String(i * 3), e));
  const hashRange = (a: number, b: number) => index.hashRange(a, b);
  afterAll(() => index.close());

  it('gives the audit path of RFC 6962 for every leaf of every tree up to 40, and it leads to the root', () => {
    for (let n = 1; n <= N; n++) {
      const root = merkleRootOf(leaves.slice(0, n));
      expect(index.hashRange(0, n)).toEqual(root);
      for (let m = 0; m < n; m++) {
        const path = inclusionProof(m, n, hashRange);
        expect(path).toEqual(PATH(m, leaves.slice(0, n)));
        expect(rootFromInclusionProof(m, n, events[m], path)).toEqual(root);
      }
    }
  });

  it('fails an altered path, another leaf, another index or another size', () => {
    const path = inclusionProof(5, 21, hashRange);
    const root = merkleRootOf(leaves.slice(0, 21));
    const altered = path.map((p, i) => (i === 2 ? Buffer.from(p).fill(7, 0, 1) : p));
    expect(rootFromInclusionProof(5, 21, events[5], altered)).not.toEqual(root);
    expect(rootFromInclusionProof(5, 21, events[6], path)).not.toEqual(root);
    expect(rootFromInclusionProof(4, 21, events[5], path)).not.toEqual(root);
    expect(rootFromInclusionProof(5, 40, events[5], path)).toBeUndefined();
    expect(rootFromInclusionProof(5, 21, events[5], path.slice(1))).toBeUndefined();
    expect(rootFromInclusionProof(21, 21, events[5], path)).toBeUndefined();
  });

  it('gives the consistency proof of RFC 6962 between every pair of sizes up to 40, and it verifies', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, n, hashRange);
        expect(proof).toEqual(SUBPROOF(m, leaves.slice(0, n), true));
        const [oldRoot, newRoot] = [merkleRootOf(leaves.slice(0, m)), merkleRootOf(leaves.slice(0, n))];
        expect(verifyConsistency(m, n, oldRoot, newRoot, proof)).toBe(true);
      }
    }
  });

  it('refuses a consistency proof against a rewritten old tree, an altered proof, or a proof for other sizes', () => {
    const proof = consistencyProof(13, 29, hashRange);
    const [oldRoot, newRoot] = [merkleRootOf(leaves.slice(0, 13)), merkleRootOf(leaves.slice(0, 29))];
    const forked = merkleRootOf([...leaves.slice(0, 12), merkleLeaf(sha('another event'))]);
    expect(verifyConsistency(13, 29, forked, newRoot, proof)).toBe(false);
    expect(verifyConsistency(13, 29, oldRoot, newRoot, [...proof.slice(0, -1), sha('x')])).toBe(false);
    expect(verifyConsistency(12, 29, oldRoot, newRoot, proof)).toBe(false);
    expect(verifyConsistency(13, 29, oldRoot, newRoot, [])).toBe(false);
    expect(verifyConsistency(16, 29, merkleRootOf(leaves.slice(0, 16)), newRoot, consistencyProof(16, 29, hashRange))).toBe(true);
  });

  it('finds leaves by hash, prefix and position, and resumes after a truncation as if the rest had never been', () => {
    const file = MerkleIndex.open(':memory:');
    events.slice(0, 30).forEach((e, i) => file.append(`p${i}`, e));
    expect(file.byHash(events[7])).toEqual({ index: 7, position: 'p7', eventHash: events[7] });
    expect(file.byPrefix(events[9].subarray(0, 10))).toEqual([{ index: 9, position: 'p9', eventHash: events[9] }]);
    expect(file.byPosition('p12')?.index).toBe(12);
    file.truncate(19);
    expect(file.size).toBe(19);
    expect(file.byHash(events[25])).toBeUndefined();
    events.slice(19).forEach((e, i) => file.append(`q${i}`, e));
    expect(file.hashRange(0, 40)).toEqual(merkleRootOf(leaves));
    expect(inclusionProof(33, 40, (a, b) => file.hashRange(a, b))).toEqual(PATH(33, leaves));
    file.close();
  });
});
