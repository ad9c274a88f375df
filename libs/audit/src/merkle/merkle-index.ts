import Database from 'better-sqlite3';
import { merkleLeaf, merkleNode } from './merkle';

/** One leaf of the tree: the event's ordinal in the global order (not its position, which may have gaps), its position and its hash. */
export interface IndexedLeaf {
  readonly index: number;
  readonly position: string;
  /** The event's chain hash (32 bytes); the Merkle leaf is SHA-256(0x00 ‖ this). */
  readonly eventHash: Buffer;
}

/** How many leaves are buffered before they are written in one transaction. */
const FLUSH_AT = 512;

/**
 * The Merkle tree over the whole history, kept so that an inclusion or consistency proof costs
 * a few dozen lookups rather than a rehash of the history: every leaf (position → ordinal →
 * event hash) and the hash of every perfect, aligned subtree (level ≥ 1). It is derived data,
 * rebuilt from the log when missing or when it disagrees with the last checkpoint (the
 * `Checkpointer` maintains it), in a SQLite file of the node's own.
 *
 * Appends are buffered and written in one transaction every 512 leaves or before any read.
 */
export class MerkleIndex {
  private readonly db: Database.Database;
  /** `frontier[l]`: the root of the perfect subtree of 2^l leaves at the tree's right edge, when bit l of size is set. */
  private frontier: (Buffer | undefined)[] = [];
  private count = 0;
  private pendingLeaves: IndexedLeaf[] = [];
  private pendingNodes: [level: number, index: number, hash: Buffer][] = [];
  private readonly statements;

  private constructor(path: string) {
    this.db = new Database(path);
    // Derived, rebuilt from the log when lost: no sync needed.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = OFF');
    // A proof reads about forty pages scattered over the file: keep the upper levels of the trees in memory.
    this.db.pragma('cache_size = -65536');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS merkle_leaf (idx INTEGER PRIMARY KEY, position TEXT NOT NULL, event_hash BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS merkle_leaf_by_hash ON merkle_leaf (event_hash);
      CREATE INDEX IF NOT EXISTS merkle_leaf_by_position ON merkle_leaf (position);
      CREATE TABLE IF NOT EXISTS merkle_node (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
    `);
    this.statements = {
      insertLeaf: this.db.prepare('INSERT OR REPLACE INTO merkle_leaf (idx, position, event_hash) VALUES (?, ?, ?)'),
      insertNode: this.db.prepare('INSERT OR REPLACE INTO merkle_node (level, idx, hash) VALUES (?, ?, ?)'),
      leaf: this.db.prepare('SELECT idx, position, event_hash FROM merkle_leaf WHERE idx = ?'),
      node: this.db.prepare('SELECT hash FROM merkle_node WHERE level = ? AND idx = ?').pluck(),
      byHash: this.db.prepare('SELECT idx, position, event_hash FROM merkle_leaf WHERE event_hash = ?'),
      byPrefix: this.db.prepare('SELECT idx, position, event_hash FROM merkle_leaf WHERE event_hash >= ? AND event_hash < ? LIMIT 2'),
      byPosition: this.db.prepare('SELECT idx, position, event_hash FROM merkle_leaf WHERE position = ?'),
      size: this.db.prepare('SELECT COALESCE(MAX(idx) + 1, 0) FROM merkle_leaf').pluck(),
    };
    this.count = this.statements.size.get() as number;
    this.loadFrontier();
  }

  /** Opens (or creates) the index; `:memory:` for tests and tools. */
  static open(path: string): MerkleIndex {
    return new MerkleIndex(path);
  }

  /** The number of leaves. */
  get size(): number {
    return this.count;
  }

  /** Adds the next event of the global order (`leaf`: its `merkleLeaf`, when the caller has it); returns its leaf index. */
  append(position: string, eventHash: Buffer, leaf: Buffer = merkleLeaf(eventHash)): number {
    const index = this.count;
    this.pendingLeaves.push({ index, position, eventHash });
    let node = leaf;
    let level = 0;
    // Carrying like binary addition: each completed perfect subtree is stored.
    while (this.frontier[level] !== undefined) {
      node = merkleNode(this.frontier[level]!, node);
      this.frontier[level] = undefined;
      level++;
      this.pendingNodes.push([level, index >> level, node]);
    }
    this.frontier[level] = node;
    this.count++;
    if (this.pendingLeaves.length >= FLUSH_AT) this.flush();
    return index;
  }

  /** Writes what is buffered. */
  flush(): void {
    if (this.pendingLeaves.length === 0 && this.pendingNodes.length === 0) return;
    const leaves = this.pendingLeaves;
    const nodes = this.pendingNodes;
    this.pendingLeaves = [];
    this.pendingNodes = [];
    this.db.transaction(() => {
      for (const l of leaves) this.statements.insertLeaf.run(l.index, l.position, l.eventHash);
      for (const [level, index, hash] of nodes) this.statements.insertNode.run(level, index, hash);
    })();
  }

  leaf(index: number): IndexedLeaf | undefined {
    this.flush();
    return toLeaf(this.statements.leaf.get(index));
  }

  byHash(eventHash: Buffer): IndexedLeaf | undefined {
    this.flush();
    return toLeaf(this.statements.byHash.get(eventHash));
  }

  byPosition(position: string): IndexedLeaf | undefined {
    this.flush();
    return toLeaf(this.statements.byPosition.get(position));
  }

  /** The leaves whose event hash starts with `prefix` (at most two: more than one means the prefix is ambiguous). */
  byPrefix(prefix: Buffer): IndexedLeaf[] {
    this.flush();
    const upper = Buffer.concat([prefix, Buffer.alloc(32 - prefix.length, 0xff), Buffer.from([0xff])]);
    return (this.statements.byPrefix.all(prefix, upper) as unknown[]).map((r) => toLeaf(r)!);
  }

  /** MTH(D[start:end]): a stored node when the range is a perfect aligned subtree, else split as RFC 6962 does. */
  hashRange(start: number, end: number): Buffer {
    if (start < 0 || end > this.count || start >= end) throw new RangeError(`No leaves [${start}, ${end}) in a tree of ${this.count}`);
    this.flush();
    return this.range(start, end);
  }

  private range(start: number, end: number): Buffer {
    const width = end - start;
    if ((width & (width - 1)) === 0 && start % width === 0) return this.node(Math.log2(width), start / width);
    let k = 1;
    while (k * 2 < width) k *= 2;
    return merkleNode(this.range(start, start + k), this.range(start + k, end));
  }

  private node(level: number, index: number): Buffer {
    if (level === 0) return merkleLeaf(toLeaf(this.statements.leaf.get(index))!.eventHash);
    const hash = this.statements.node.get(level, index) as Buffer | undefined;
    if (!hash) throw new Error(`The Merkle index lacks node ${level}/${index}: rebuild it`);
    return hash;
  }

  /** Drops every leaf from `size` on (the log was rewound, or the index ran ahead of the last checkpoint). */
  truncate(size: number): void {
    this.flush();
    if (size >= this.count) return;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM merkle_leaf WHERE idx >= ?').run(size);
      // Node (level, i) covers leaves [i·2^level, (i+1)·2^level).
      this.db.prepare('DELETE FROM merkle_node WHERE (idx + 1) * (1 << level) > ?').run(size);
    })();
    this.count = size;
    this.loadFrontier();
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  /** The right edge of the tree, from the stored nodes: one perfect subtree per set bit of the size. */
  private loadFrontier(): void {
    this.frontier = [];
    let start = 0;
    for (let level = 52; level >= 0; level--) {
      const width = 2 ** level;
      if (Math.floor(this.count / width) % 2 === 1) {
        this.frontier[level] = this.node(level, start / width);
        start += width;
      }
    }
  }
}

function toLeaf(row: unknown): IndexedLeaf | undefined {
  if (!row) return undefined;
  const r = row as { idx: number; position: string; event_hash: Buffer };
  return { index: r.idx, position: r.position, eventHash: r.event_hash };
}
