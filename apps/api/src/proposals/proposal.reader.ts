import { Inject, Injectable } from '@nestjs/common';
import type { ReadModelDatabase } from '@civic/projections';
import { ApiError } from '../errors/api-error';
import { READ_MODELS } from '../read-models/read-models.module';
import type { Proposal, ProposalConnection, ProposalStatus } from './proposal.types';

export interface ProposalFilter {
  readonly fundId?: string;
  readonly potId?: string;
  readonly ward?: string;
  readonly status?: ProposalStatus;
  /** Words to find in the title, summary or description (all of them, accents ignored). */
  readonly search?: string;
}

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
  location: string | null;
  status: string;
  reject_reason: string | null;
  merged_into: string | null;
  submitted_at: string;
  revision: number;
  position: string;
}

export const MAX_PAGE = 100;

/** Reads proposals from the read models: one, or a filtered page with a cursor. */
@Injectable()
export class ProposalReader {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  get(proposalId: string): Proposal | undefined {
    const row = this.readModels.db
      .prepare(`SELECT p.*, pots.ward FROM proposals p LEFT JOIN pots ON pots.pot_id = p.pot_id WHERE p.proposal_id = ?`)
      .get(proposalId) as Row | undefined;
    return row && toProposal(row);
  }

  page(filter: ProposalFilter, first: number, after?: string): ProposalConnection {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      throw new ApiError('INPUT.INVALID', `first must be between 1 and ${MAX_PAGE}.`);
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.fundId) where.push('p.fund_id = ?') && values.push(filter.fundId);
    if (filter.potId) where.push('p.pot_id = ?') && values.push(filter.potId);
    if (filter.ward) where.push('pots.ward = ?') && values.push(filter.ward);
    if (filter.status) where.push('p.status = ?') && values.push(filter.status);
    const match = filter.search === undefined ? undefined : ftsQuery(filter.search);
    if (match) where.push('p.seq IN (SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH ?)') && values.push(match);
    const from = `FROM proposals p LEFT JOIN pots ON pots.pot_id = p.pot_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const total = (this.readModels.db.prepare(`SELECT count(*) AS n ${from}`).get(...values) as { n: number }).n;
    const afterSeq = after === undefined ? 0 : decodeCursor(after);
    const pageWhere = `${where.length ? ' AND' : ' WHERE'} p.seq > ?`;
    const rows = this.readModels.db
      .prepare(`SELECT p.*, pots.ward ${from}${pageWhere} ORDER BY p.seq LIMIT ?`)
      .all(...values, afterSeq, first + 1) as Row[];
    const edges = rows.slice(0, first).map((row) => ({ cursor: encodeCursor(row.seq), node: toProposal(row) }));
    return { edges, totalCount: total, pageInfo: { hasNextPage: rows.length > first, endCursor: edges[edges.length - 1]?.cursor } };
  }
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
