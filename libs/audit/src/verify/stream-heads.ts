/**
 * The last revision and hash of every stream seen so far, compactly: a million single-ballot
 * streams must fit in the verifier's memory budget. Hashes live in one growing arena of
 * 32-byte slots and revisions in a Float64Array, so a stream costs its Map entry and its name.
 */
export class StreamHeads {
  private readonly slots = new Map<string, number>();
  private hashes = Buffer.alloc(32 * 1024);
  private revisions = new Float64Array(1024);

  get size(): number {
    return this.slots.size;
  }

  /** The last revision seen, or -1 for a stream not seen yet. */
  revision(slot: number | undefined): number {
    return slot === undefined ? -1 : this.revisions[slot];
  }

  slotOf(streamName: string): number | undefined {
    return this.slots.get(streamName);
  }

  /** Whether the stored hash of the slot equals `hex` (false for an unseen stream). */
  hashEquals(slot: number | undefined, hex: string | null): boolean {
    if (slot === undefined) return hex === null;
    if (hex === null) return false;
    return this.hashes.toString('hex', slot * 32, slot * 32 + 32) === hex;
  }

  set(streamName: string, slot: number | undefined, revision: number, hashHex: string): void {
    let s = slot;
    if (s === undefined) {
      s = this.slots.size;
      this.slots.set(streamName, s);
      this.grow(s + 1);
    }
    this.revisions[s] = revision;
    this.hashes.write(hashHex, s * 32, 32, 'hex');
  }

  private grow(needed: number): void {
    if (needed <= this.revisions.length) return;
    const capacity = this.revisions.length * 2;
    const revisions = new Float64Array(capacity);
    revisions.set(this.revisions);
    this.revisions = revisions;
    const hashes = Buffer.alloc(capacity * 32);
    this.hashes.copy(hashes);
    this.hashes = hashes;
  }
}
