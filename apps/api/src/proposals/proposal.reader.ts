import { Inject, Injectable } from '@nestjs/common';
import { statement, type ReadModelDatabase } from '@civic/projections';
import { ApiError } from '../errors/api-error';
import { READ_MODELS } from '../read-models/read-models.module';
import { createHash } from 'node:crypto';
import { ProposalOrder, type Proposal, type ProposalConnection, type ProposalStatus } from './proposal.types';

export interface ProposalFilter {
  readonly fundId?: string;
  readonly potId?: string;
  readonly ward?: string;
  readonly status?: ProposalStatus;
  /** Words to find in the title, summary or description (all of them, accents ignored). */
  readonly search?: string;
  readonly category?: string;
  /** @defaultValue `submitted` */
  readonly order?: ProposalOrder;
  /** The seed of `random` order. */
  readonly seed?: string;
}

/** Every field of a filter, in a fixed order: a kept page's key (a new field fails the build here until it is listed). */
const FILTER_FIELDS = Object.keys({
  fundId: true,
  potId: true,
  ward: true,
  status: true,
  search: true,
  category: true,
  order: true,
  seed: true,
} satisfies Record<keyof ProposalFilter, true>) as (keyof ProposalFilter)[];

interface Row {
  seq: number;
  proposal_id: string;
  fund_id: string;
  pot_id: string;
  ward: string | null;
  author_id: string;
  title: string;
  summary: string;
  description: string;
  category: string;
  estimated_cost: number;
  official_cost: number | null;
  number: number | null;
  location: string | null;
  status: string;
  reject_reason: string | null;
  merged_into: string | null;
  submitted_at: string;
  revision: number;
  position: string;
}

export const MAX_PAGE = 100;
/** Pages kept between folded batches that change proposals; past this the oldest asked is dropped. */
const MAX_KEPT_PAGES = 256;

/** Reads proposals from the read models: one, or a filtered page with a cursor. */
@Injectable()
export class ProposalReader {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  get(proposalId: string): Proposal | undefined {
    const row = statement(
      this.readModels.db,
      `SELECT p.*, pots.ward FROM proposals p LEFT JOIN pots ON pots.pot_id = p.pot_id WHERE p.proposal_id = ?`,
    ).get(proposalId) as Row | undefined;
    return row && toProposal(row);
  }

  /**
   * Pages as last read, by what was asked, kept while no folded batch reaches the proposals or
   * the funds (whose pots give each proposal its ward): during a vote, ballots move neither, and
   * the same few pages are asked for again and again.
   */
  private readonly kept = new Map<string, { db: unknown; changes: string; page: ProposalConnection }>();

  page(filter: ProposalFilter, first: number, after?: string): ProposalConnection {
    const key = JSON.stringify([...FILTER_FIELDS.map((field) => filter[field]), first, after]);
    const changes = `${this.readModels.changesOf('proposals')}/${this.readModels.changesOf('funds')}`;
    const db = this.readModels.db;
    const kept = this.kept.get(key);
    if (kept && kept.db === db && kept.changes === changes) return kept.page;
    const page = this.read(filter, first, after);
    this.kept.delete(key);
    if (this.kept.size >= MAX_KEPT_PAGES) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, { db, changes, page });
    return page;
  }

  private read(filter: ProposalFilter, first: number, after?: string): ProposalConnection {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      throw new ApiError('INPUT.INVALID', `first must be between 1 and ${MAX_PAGE}.`);
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.fundId) where.push('p.fund_id = ?') && values.push(filter.fundId);
    if (filter.potId) where.push('p.pot_id = ?') && values.push(filter.potId);
    if (filter.ward) where.push('pots.ward = ?') && values.push(filter.ward);
    if (filter.status) where.push('p.status = ?') && values.push(filter.status);
    if (filter.category) where.push('p.category = ?') && values.push(filter.category);
    const match = filter.search === undefined ? undefined : ftsQuery(filter.search);
    if (match) where.push('p.seq IN (SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH ?)') && values.push(match);
    const from = `FROM proposals p LEFT JOIN pots ON pots.pot_id = p.pot_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const order = filter.order ?? ProposalOrder.submitted;
    if (order === ProposalOrder.random && (typeof filter.seed !== 'string' || filter.seed.length < 1 || filter.seed.length > 200))
      throw new ApiError('INPUT.INVALID', 'A random order needs a seed of 1 to 200 characters.');
    if (order === ProposalOrder.number) return this.numberedPage(from, values, first, after);
    if (order !== ProposalOrder.submitted) return this.shuffledPage(from, values, filter.seed ?? '', first, after);
    // Prepared once per shape of filter (a few dozen shapes: the values are bound, never in the text).
    const total = (statement(this.readModels.db, `SELECT count(*) AS n ${from}`).get(...values) as { n: number }).n;
    const afterSeq = after === undefined ? 0 : decodeCursor(after);
    const pageWhere = `${where.length ? ' AND' : ' WHERE'} p.seq > ?`;
    const rows = statement(this.readModels.db, `SELECT p.*, pots.ward ${from}${pageWhere} ORDER BY p.seq LIMIT ?`).all(
      ...values,
      afterSeq,
      first + 1,
    ) as Row[];
    const edges = rows.slice(0, first).map((row) => ({ cursor: encodeCursor(row.seq), node: toProposal(row) }));
    return { edges, totalCount: total, pageInfo: { hasNextPage: rows.length > first, endCursor: edges[edges.length - 1]?.cursor } };
  }

  /**
   * By number, numbered ones first, then in order of submission: ordered and cut by SQLite (a
   * pot's proposals in the index `proposals_by_pot_number`), at an offset cursor.
   */
  private numberedPage(from: string, values: unknown[], first: number, after?: string): ProposalConnection {
    const offset = after === undefined ? 0 : decodeOffset(after, ProposalOrder.number);
    const total = (statement(this.readModels.db, `SELECT count(*) AS n ${from}`).get(...values) as { n: number }).n;
    const rows = statement(
      this.readModels.db,
      `SELECT p.*, pots.ward ${from} ORDER BY p.number IS NULL, p.number, p.seq LIMIT ? OFFSET ?`,
    ).all(...values, first, offset) as Row[];
    const edges = rows.map((row, i) => ({ cursor: encodeOffset(ProposalOrder.number, offset + i + 1), node: toProposal(row) }));
    return { edges, totalCount: total, pageInfo: { hasNextPage: total > offset + first, endCursor: edges[edges.length - 1]?.cursor } };
  }

  /**
   * In a seeded shuffle: the whole filtered set is ordered here (a pot holds hundreds of
   * proposals at most, a fund a few thousand), then cut at an offset cursor.
   */
  private shuffledPage(from: string, values: unknown[], seed: string, first: number, after?: string): ProposalConnection {
    const order = ProposalOrder.random;
    const rows = statement(this.readModels.db, `SELECT p.*, pots.ward ${from}`).all(...values) as Row[];
    const lot = new Map(rows.map((r) => [r.seq, createHash('sha256').update(`${seed}:${r.proposal_id}`).digest('hex')]));
    rows.sort((a, b) => (lot.get(a.seq)! < lot.get(b.seq)! ? -1 : lot.get(a.seq)! > lot.get(b.seq)! ? 1 : a.seq - b.seq));
    const offset = after === undefined ? 0 : decodeOffset(after, order);
    const edges = rows
      .slice(offset, offset + first)
      .map((row, i) => ({ cursor: encodeOffset(order, offset + i + 1), node: toProposal(row) }));
    return {
      edges,
      totalCount: rows.length,
      pageInfo: { hasNextPage: rows.length > offset + first, endCursor: edges[edges.length - 1]?.cursor },
    };
  }
}

const encodeOffset = (order: ProposalOrder, offset: number) => Buffer.from(`proposal-${order}:${offset}`).toString('base64url');

function decodeOffset(cursor: string, order: ProposalOrder): number {
  const match = /^proposal-(\w+):(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || match[1] !== order) throw new ApiError('INPUT.INVALID', 'after is not a cursor this API gave out for this order.');
  return Number(match[2]);
}

/** Each word becomes a quoted FTS5 term (so no user text is ever FTS5 syntax); all must match. */
export function ftsQuery(text: string): string | undefined {
  if (text.length > 200) throw new ApiError('INPUT.INVALID', 'search must be at most 200 characters.');
  const words = text
    .split(/[\s\p{P}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 20);
  return words.length === 0 ? undefined : words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

const encodeCursor = (seq: number) => Buffer.from(`proposal:${seq}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^proposal:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new ApiError('INPUT.INVALID', 'after is not a cursor this API gave out.');
  return Number(match[1]);
}

function toProposal(row: Row): Proposal {
  return {
    id: row.proposal_id,
    fundId: row.fund_id,
    potId: row.pot_id,
    ward: row.ward ?? undefined,
    title: row.title,
    summary: row.summary,
    description: row.description,
    category: row.category,
    estimatedCost: row.estimated_cost,
    officialCost: row.official_cost ?? undefined,
    number: row.number ?? undefined,
    location: row.location ? JSON.parse(row.location) : undefined,
    status: row.status as ProposalStatus,
    rejectReason: row.reject_reason ?? undefined,
    mergedInto: row.merged_into ?? undefined,
    submittedAt: new Date(row.submitted_at),
    revision: row.revision,
    position: row.position,
    authorId: row.author_id,
  };
}
