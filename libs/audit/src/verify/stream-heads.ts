/**
 * The last revision and hash of every stream seen so far, in typed arrays: a million
 * single-ballot streams must fit in the verifier's memory budget, and a `Map` keyed by stream
 * name costs about 160 bytes a stream (the name, the entry, the boxed value) against 48 here.
 *
 * Streams are keyed by two independent hashes of their name (cyrb53, 53 + 32 bits), in an
 * open-addressing table. Two names would have to agree on 85 bits to share a slot; if they
 * ever did, their revisions would interleave and verify would report a broken chain (a false
 * alarm, never a missed one, since every event's own hash covers its real stream name).
 */
export class StreamHeads {
  private capacity: number;
  private keysA: Float64Array;
  private keysB: Uint32Array;
  private readonly scratch = new Float64Array(2);
  /** Slot + 1 in the arena, 0 for an empty bucket. */
  private buckets: Int32Array;
  private hashes: Buffer;
  private revisions: Float64Array;
  private count = 0;

  /** @param expected how many streams to make room for at once (e.g. the number of events) */
  constructor(expected = 1024) {
    this.capacity = powerOfTwoAbove(Math.max(expected, 1024) * 1.5);
    this.keysA = new Float64Array(this.capacity);
    this.keysB = new Uint32Array(this.capacity);
    this.buckets = new Int32Array(this.capacity);
    const slots = Math.max(expected, 1024);
    this.hashes = Buffer.alloc(slots * 32);
    this.revisions = new Float64Array(slots);
  }

  get size(): number {
    return this.count;
  }

  slotOf(streamName: string): number | undefined {
    streamKeysOf(streamName, this.scratch, 0);
    return this.slotOfKeys(this.scratch, 0);
  }

  /** The slot of the stream whose keys are `keys[offset]` and `keys[offset + 1]` (see {@link streamKeysOf}). */
  slotOfKeys(keys: Float64Array, offset: number): number | undefined {
    const a = keys[offset];
    const b = keys[offset + 1];
    const mask = this.capacity - 1;
    for (let i = a % this.capacity; ; i = (i + 1) & mask) {
      const bucket = this.buckets[i];
      if (bucket === 0) return undefined;
      if (this.keysA[i] === a && this.keysB[i] === b) return bucket - 1;
    }
  }

  /** The last revision seen, or -1 for a stream not seen yet. */
  revision(slot: number | undefined): number {
    return slot === undefined ? -1 : this.revisions[slot];
  }

  /** Whether the slot's hash equals `source[offset, offset + 32)`; `null` stands for "no previous" (an unseen stream). */
  hashEquals(slot: number | undefined, source: Uint8Array | null, offset: number): boolean {
    if (slot === undefined || source === null) return slot === undefined && source === null;
    const { hashes } = this;
    const base = slot * 32 - offset;
    for (let k = offset; k < offset + 32; k++) if (hashes[base + k] !== source[k]) return false;
    return true;
  }

  /** Records the stream's new head from `source[offset, offset + 32)`; returns its slot. */
  set(streamName: string, slot: number | undefined, revision: number, source: Uint8Array, offset: number): number {
    streamKeysOf(streamName, this.scratch, 0);
    return this.setByKeys(this.scratch, 0, slot, revision, source, offset);
  }

  /** `set`, for the stream whose keys are `keys[keyOffset]` and `keys[keyOffset + 1]`. */
  setByKeys(keys: Float64Array, keyOffset: number, slot: number | undefined, revision: number, source: Uint8Array, offset: number): number {
    const s = slot ?? this.add(keys[keyOffset], keys[keyOffset + 1]);
    this.revisions[s] = revision;
    const { hashes } = this;
    const base = s * 32 - offset;
    for (let k = offset; k < offset + 32; k++) hashes[base + k] = source[k];
    return s;
  }

  private add(a: number, b: number): number {
    if ((this.count + 1) * 3 > this.capacity * 2) this.rehash(this.capacity * 2);
    if (this.count === this.revisions.length) this.growArena(this.count * 2);
    const slot = this.count++;
    this.insert(a, b, slot);
    return slot;
  }

  private insert(a: number, b: number, slot: number): void {
    const mask = this.capacity - 1;
    let i = a % this.capacity;
    while (this.buckets[i] !== 0) i = (i + 1) & mask;
    this.keysA[i] = a;
    this.keysB[i] = b;
    this.buckets[i] = slot + 1;
  }

  private rehash(capacity: number): void {
    const { keysA, keysB, buckets } = this;
    this.capacity = capacity;
    this.keysA = new Float64Array(capacity);
    this.keysB = new Uint32Array(capacity);
    this.buckets = new Int32Array(capacity);
    for (let i = 0; i < buckets.length; i++) if (buckets[i] !== 0) this.insert(keysA[i], keysB[i], buckets[i] - 1);
  }

  private growArena(slots: number): void {
    const revisions = new Float64Array(slots);
    revisions.set(this.revisions);
    this.revisions = revisions;
    const hashes = Buffer.alloc(slots * 32);
    this.hashes.copy(hashes);
    this.hashes = hashes;
  }
}

function powerOfTwoAbove(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * The two keys of a stream name, written to `out[offset]` (53 bits) and `out[offset + 1]`
 * (32 bits): cyrb53 (public domain, bryc), a fast string hash with good dispersion, with two
 * seeds in one pass over the name.
 */
export function streamKeysOf(text: string, out: Float64Array, offset: number): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  let g1 = 0xdeadbeef ^ 0x9e3779b9;
  let g2 = 0x41c6ce57 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
    g1 = Math.imul(g1 ^ ch, 2654435761);
    g2 = Math.imul(g2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  g1 = Math.imul(g1 ^ (g1 >>> 16), 2246822507) ^ Math.imul(g2 ^ (g2 >>> 13), 3266489909);
  out[offset] = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  out[offset + 1] = g1 >>> 0; // the low 32 bits of the second seed's cyrb53
}
