import { merkleLeaf, merkleNode } from './merkle';

/**
 * RFC 6962 audit paths and consistency proofs (§2.1.1, §2.1.2), and their verification as
 * RFC 9162 §2.1.3.2 and §2.1.4.2 give it. The proofs are built from `hashRange(start, end)`,
 * the Merkle tree hash of the leaves [start, end): whoever stores the tree answers it (see
 * `MerkleIndex`); the verifiers need only the proof.
 */
export type RangeHash = (start: number, end: number) => Buffer;

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The audit path of leaf `index` in the tree of the first `size` leaves, from the leaf up. */
export function inclusionProof(index: number, size: number, hashRange: RangeHash): Buffer[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`No leaf ${index} in a tree of ${size}`);
  }
  const path: Buffer[] = [];
  // PATH(m, D[lo:hi]), unrolled: the sibling of each subtree on the way down, reversed at the end.
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = split(hi - lo);
    if (index - lo < k) {
      path.push(hashRange(lo + k, hi));
      hi = lo + k;
    } else {
      path.push(hashRange(lo, lo + k));
      lo += k;
    }
  }
  return path.reverse();
}

/** The consistency proof between the trees of the first `oldSize` and `newSize` leaves. */
export function consistencyProof(oldSize: number, newSize: number, hashRange: RangeHash): Buffer[] {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) {
    throw new RangeError(`No consistency proof from ${oldSize} to ${newSize}`);
  }
  if (oldSize === 0 || oldSize === newSize) return [];
  // SUBPROOF(m, D[lo:hi], b), unrolled.
  const proof: Buffer[] = [];
  let lo = 0;
  let hi = newSize;
  let whole = true;
  // The old tree always ends at leaf `oldSize`; [lo, hi) is the subtree being proved.
  while (oldSize !== hi) {
    const k = split(hi - lo);
    if (oldSize - lo <= k) {
      proof.push(hashRange(lo + k, hi));
      hi = lo + k;
    } else {
      proof.push(hashRange(lo, lo + k));
      lo += k;
      whole = false;
    }
  }
  if (!whole) proof.push(hashRange(lo, hi));
  return proof.reverse();
}

/** The root an audit path leads to from an event hash, or undefined when the path cannot fit the tree. */
export function rootFromInclusionProof(index: number, size: number, eventHash: Buffer, path: readonly Buffer[]): Buffer | undefined {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = merkleLeaf(eventHash);
  for (const p of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNode(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = merkleNode(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/** True when `proof` shows the tree of `newSize` leaves (root `newRoot`) extends that of `oldSize` (root `oldRoot`). */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Buffer, newRoot: Buffer, proof: readonly Buffer[]): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = [...proof];
  // When the old tree is a perfect left subtree, its root is the proof's implicit first element.
  if (isPowerOfTwo(oldSize)) path.unshift(oldRoot);
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = merkleNode(c, fr);
      sr = merkleNode(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = merkleNode(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}
