import { createHash } from 'node:crypto';
import { EMPTY_ROOT, MerkleFrontier, merkleLeaf, merkleNode, merkleRootOf } from './merkle';

const sha = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
const eventHashes = (n: number) => Array.from({ length: n }, (_, i) => sha(Buffer.from(`event ${i}`)));

describe(MerkleFrontier.name, () => {
  it('hashes leaves and nodes with RFC 6962 prefixes', () => {
    const [a, b] = eventHashes(2);
    expect(merkleLeaf(a)).toEqual(sha(Buffer.from([0]), a));
    expect(merkleNode(a, b)).toEqual(sha(Buffer.from([1]), a, b));
  });

  it('gives the root of a small tree computed by hand', () => {
    const [e0, e1, e2] = eventHashes(3);
    const [l0, l1, l2] = [e0, e1, e2].map((e) => sha(Buffer.from([0]), e));
    // n = 3 splits at 2: root = node(node(l0, l1), l2).
    const byHand = sha(Buffer.from([1]), sha(Buffer.from([1]), l0, l1), l2);
    const frontier = new MerkleFrontier();
    for (const e of [e0, e1, e2]) frontier.push(merkleLeaf(e));
    expect(frontier.root()).toEqual(byHand);
    expect(merkleRootOf([l0, l1, l2])).toEqual(byHand);
  });

  it('equals the recursive definition for 1 to 40 leaves, and survives a round trip through JSON', () => {
    const leaves = eventHashes(40).map(merkleLeaf);
    const frontier = new MerkleFrontier();
    expect(frontier.root()).toEqual(EMPTY_ROOT);
    for (let n = 1; n <= 40; n++) {
      frontier.push(leaves[n - 1]);
      expect(frontier.count).toBe(n);
      expect(frontier.root().toString('hex')).toBe(merkleRootOf(leaves.slice(0, n)).toString('hex'));
      expect(MerkleFrontier.fromJSON(frontier.toJSON()).root()).toEqual(frontier.root());
    }
  });

  it('rejects a frontier whose subtrees do not add up to its count', () => {
    expect(() => MerkleFrontier.fromJSON({ count: 3, subtrees: ['00'.repeat(32)] })).toThrow(/cannot have/);
  });
});
