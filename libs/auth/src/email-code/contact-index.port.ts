import { keyedHash, SecretBox } from '../crypto/secret-box';

/** A resident the index found: their id, and their reference (kept sealed in the index). */
export interface IndexedResident {
  readonly residentId: string;
  readonly reference: string;
}

/** What the index is told at registration and import. */
export interface ContactEntry {
  readonly residentId: string;
  readonly reference: string;
  readonly email?: string;
}

/** How addresses are compared: trimmed, lower-cased (what a resident types varies in case). */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/**
 * The keyed-hash index of residents' e-mail addresses, kept beside the residents' keys and
 * erased with them: a resident's address only as an HMAC of the normalised address (a leaked
 * table gives up no address), their reference sealed. One node keeps it in its vault's SQLite
 * file; nodes sharing a PostgreSQL vault keep it in the vault's schema, so an address registered
 * through one node is found through any, and an erasure on one is seen by all.
 */
export interface ContactIndex {
  /** The keyed hash of an address. */
  readonly hash: (email: string) => string;
  /** Resolves once the entry is written (replacing the resident's earlier one). */
  record(entry: ContactEntry): Promise<void>;
  /**
   * `record` for many entries in one write, as a register import records a group (a resident
   * named twice keeps the later entry): no promise per entry.
   */
  recordAll(entries: readonly ContactEntry[]): Promise<void>;
  /** Removes the resident's row, leaving no copy of its address hash in the store's pages. */
  remove(residentId: string): Promise<void>;
  /** The residents whose address this is (several share a family address). */
  findByEmail(email: string): Promise<IndexedResident[]>;
  /** Every resident the index holds, in no particular order (for printing poll cards). */
  all(): Promise<IndexedResident[]>;
  close(): Promise<void>;
}

/** The keys of an index: one hashes addresses, the other seals references. */
export interface ContactIndexKeys {
  readonly hashKey: Buffer;
  readonly sealKey: Buffer;
}

/** A stored row: the address's keyed hash (none without an address) and the sealed reference. */
export type ContactRow = readonly [residentId: string, emailHash: string | null, referenceSealed: string];

/** Turns entries into rows and rows back into residents, the same way in every store. */
export class ContactCodec {
  private readonly box: SecretBox;
  readonly hash: (email: string) => string;

  constructor(keys: ContactIndexKeys) {
    this.box = new SecretBox(keys.sealKey);
    this.hash = (email) => keyedHash(keys.hashKey, normaliseEmail(email));
  }

  row(entry: ContactEntry): ContactRow {
    return [entry.residentId, entry.email ? this.hash(entry.email) : null, this.box.seal(entry.reference)];
  }

  /** The rows of these entries, one per resident (the later entry of a resident named twice). */
  rows(entries: readonly ContactEntry[]): ContactRow[] {
    const latest = new Map<string, ContactRow>();
    for (const entry of entries) latest.set(entry.residentId, this.row(entry));
    return [...latest.values()];
  }

  residents(rows: readonly { resident_id: string; reference_sealed: string }[]): IndexedResident[] {
    return rows.flatMap((row) => {
      const reference = this.box.open(row.reference_sealed);
      return reference ? [{ residentId: row.resident_id, reference }] : [];
    });
  }
}

/**
 * Gathers the entries recorded in one turn of the event loop and writes them together, so a
 * register imported rows in parallel pays one write per group, not per row. A resident recorded
 * twice in a turn keeps the later entry.
 */
export class TurnBatcher {
  private pending: { row: ContactRow; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(private readonly write: (rows: readonly ContactRow[]) => unknown) {}

  add(row: ContactRow): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => void this.flush());
      this.pending.push({ row, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const latest = new Map(batch.map((p) => [p.row[0], p.row]));
    try {
      await this.write([...latest.values()]);
      batch.forEach((p) => p.resolve());
    } catch (error) {
      batch.forEach((p) => p.reject(error));
    }
  }
}
