import { createHash, hash } from 'node:crypto';

/**
 * RFC 6962 Merkle trees over event hashes in the global order:
 * leaf = SHA-256(0x00 ‖ event hash), node = SHA-256(0x01 ‖ left ‖ right), and the tree over
 * n leaves splits at the largest power of two below n. The domain-separation bytes stop a
 * leaf from being passed off as a node.
 */
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

// Hot path: a verify of a million events computes a million leaves and nodes, and the
// Checkpointer one leaf and about one node per event written. One-shot hashing of a reused
// input buffer costs a sixth of a Hash object; the verifier's digests stay latin1 strings (one
// char per byte), the index's Buffers are copied in. Safe: hashing is synchronous.
const nodeInput = Buffer.alloc(65);
nodeInput[0] = NODE[0];
const leafInput = Buffer.alloc(33);
leafInput[0] = LEAF[0];

export function merkleLeaf(eventHash: Buffer): Buffer {
  if (eventHash.length !== 32) return createHash('sha256').update(LEAF).update(eventHash).digest();
  eventHash.copy(leafInput, 1);
  return hash('sha256', leafInput, 'buffer');
}

export function merkleNode(left: Buffer, right: Buffer): Buffer {
  left.copy(nodeInput, 1, 0, 32);
  right.copy(nodeInput, 33, 0, 32);
  return hash('sha256', nodeInput, 'buffer');
}

/** `merkleNode` over latin1 digests. */
function nodeOf(left: string, right: string): string {
  nodeInput.write(left, 1, 32, 'latin1');
  nodeInput.write(right, 33, 32, 'latin1');
  return hash('sha256', nodeInput, 'binary');
}

/** `merkleLeaf` of the event hash at `source[offset, offset + 32)`, as a latin1 digest. */
export function merkleLeafLatin1(source: Uint8Array, offset: number): string {
  for (let k = 0; k < 32; k++) leafInput[k + 1] = source[offset + k];
  return hash('sha256', leafInput, 'binary');
}

/** The root of an empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = createHash('sha256').digest();

/** The recursive definition (MTH in RFC 6962 §2.1), over leaf hashes; O(n) memory, for tests and small trees. */
export function merkleRootOf(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return merkleNode(merkleRootOf(leaves.slice(0, k)), merkleRootOf(leaves.slice(k)));
}

/**
 * The tree built one leaf at a time, keeping only the roots of its perfect subtrees (one
 * per set bit of the count): O(log n) memory however long the history.
 */
export class MerkleFrontier {
  /** `subtrees[i]` is the root of the perfect subtree of 2^i leaves (latin1), when bit i of count is set. */
  private readonly subtrees: (string | undefined)[] = [];
  private n = 0;

  get count(): number {
    return this.n;
  }

  /** Adds the next leaf hash (already `merkleLeaf`ed). */
  push(leaf: Buffer): void {
    this.pushLatin1(leaf.toString('latin1', 0, 32));
  }

  /** `push`, with the leaf as a latin1 digest (see `merkleLeafLatin1`). */
  pushLatin1(leaf: string): void {
    let node = leaf;
    let level = 0;
    // Carrying like binary addition: each set bit merges with the new subtree.
    while (this.subtrees[level] !== undefined) {
      node = nodeOf(this.subtrees[level]!, node);
      this.subtrees[level] = undefined;
      level++;
    }
    this.subtrees[level] = node;
    this.n++;
  }

  /** The RFC 6962 root of the leaves pushed so far: the subtrees folded from the smallest up. */
  root(): Buffer {
    let acc: string | undefined;
    for (const subtree of this.subtrees) {
      if (subtree === undefined) continue;
      acc = acc === undefined ? subtree : nodeOf(subtree, acc);
    }
    return acc === undefined ? EMPTY_ROOT : Buffer.from(acc, 'latin1');
  }

  /** The frontier as hex, smallest subtree first with `null` for empty levels: what a checkpoint stores to resume from. */
  toJSON(): { count: number; subtrees: (string | null)[] } {
    return { count: this.n, subtrees: this.subtrees.map((s) => (s === undefined ? null : Buffer.from(s, 'latin1').toString('hex'))) };
  }

  static fromJSON(json: { count: number; subtrees: (string | null)[] }): MerkleFrontier {
    const frontier = new MerkleFrontier();
    let expected = 0;
    json.subtrees.forEach((s, level) => {
      frontier.subtrees[level] = s === null ? undefined : Buffer.from(s, 'hex').toString('latin1', 0, 32);
      if (s !== null) expected += 2 ** level;
    });
    if (expected !== json.count) throw new Error(`A Merkle frontier of ${json.count} leaves cannot have these subtrees`);
    frontier.n = json.count;
    return frontier;
  }
}
