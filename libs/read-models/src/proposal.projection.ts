import type Database from 'better-sqlite3';
import type { ProposalContent, ProposalEvent } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/**
 * Proposals with their status, costs and a full-text index (FTS5, with diacritics folded) over
 * title, summary and description. `seq` is the order of submission: the cursor of the connection.
 * `number` is the public number given at acceptance (unique in its fund; none before).
 * Version 3 adds the index that gives a pot's proposals by number, numbered first.
 */
export const proposalProjection: Projection = {
  name: 'proposals',
  version: 3,
  schema: `
    CREATE TABLE proposals (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id TEXT NOT NULL UNIQUE, fund_id TEXT NOT NULL, pot_id TEXT NOT NULL,
      author_id TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, description TEXT NOT NULL, category TEXT NOT NULL,
      estimated_cost INTEGER NOT NULL, official_cost INTEGER, number INTEGER, location TEXT, status TEXT NOT NULL,
      reject_reason TEXT, merged_into TEXT, submitted_at TEXT NOT NULL, revision INTEGER NOT NULL, position TEXT NOT NULL
    );
    CREATE INDEX proposals_by_fund ON proposals (fund_id, pot_id, status, seq);
    CREATE UNIQUE INDEX proposals_by_number ON proposals (fund_id, number) WHERE number IS NOT NULL;
    CREATE INDEX proposals_by_pot_number ON proposals (pot_id, number IS NULL, number, seq);
    CREATE VIRTUAL TABLE proposals_fts USING fts5 (title, summary, description, content = 'proposals', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');`,
  eventTypes: [
    'ProposalSubmitted',
    'ProposalEdited',
    'ProposalWithdrawn',
    'ProposalAccepted',
    'ProposalRejected',
    'ProposalMerged',
    'ProposalDuplicateAbsorbed',
  ],
  apply(db, recorded) {
    const event = { type: recorded.type, data: recorded.data } as ProposalEvent;
    const id = event.data.proposalId;
    const set = (assignments: string, ...values: unknown[]) =>
      statement(db, `UPDATE proposals SET ${assignments}${assignments ? ', ' : ''}revision = ?, position = ? WHERE proposal_id = ?`).run(
        ...values,
        recorded.revision,
        recorded.position,
        id,
      );
    switch (event.type) {
      case 'ProposalSubmitted': {
        const d = event.data;
        statement(
          db,
          `INSERT INTO proposals (proposal_id, fund_id, pot_id, author_id, title, summary, description, category, estimated_cost, location, status, submitted_at, revision, position)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?)`,
        ).run(
          id,
          d.fundId,
          d.potId,
          d.authorId,
          d.title,
          d.summary,
          d.description,
          d.category,
          d.estimatedCost,
          d.location ? JSON.stringify(d.location) : null,
          recorded.recordedAt,
          recorded.revision,
          recorded.position,
        );
        return reindex(db, id, false);
      }
      case 'ProposalEdited': {
        reindex(db, id, true);
        const c: Partial<ProposalContent> = event.data.changes;
        const columns: [keyof ProposalContent, string, unknown][] = [
          ['title', 'title', c.title],
          ['summary', 'summary', c.summary],
          ['description', 'description', c.description],
          ['category', 'category', c.category],
          ['estimatedCost', 'estimated_cost', c.estimatedCost],
          ['location', 'location', c.location === undefined ? undefined : JSON.stringify(c.location)],
        ];
        const changed = columns.filter(([key]) => key in c);
        set(changed.map(([, col]) => `${col} = ?`).join(', '), ...changed.map(([, , v]) => v ?? null));
        return reindex(db, id, false);
      }
      case 'ProposalWithdrawn':
        return void set(`status = 'withdrawn'`);
      case 'ProposalAccepted':
        return void set(`status = 'accepted', official_cost = ?, number = ?`, event.data.officialCost, event.data.number ?? null);
      case 'ProposalRejected':
        return void set(`status = 'rejected', reject_reason = ?`, event.data.reason);
      case 'ProposalMerged':
        return void set(`status = 'merged', merged_into = ?`, event.data.survivorId);
      case 'ProposalDuplicateAbsorbed':
        return void set('');
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  },
};

/** Removes (before a change) or adds (after it) a proposal's row in the external-content FTS index. */
function reindex(db: Database.Database, proposalId: string, remove: boolean): void {
  const row = statement(db, `SELECT seq, title, summary, description FROM proposals WHERE proposal_id = ?`).get(proposalId) as
    { seq: number; title: string; summary: string; description: string } | undefined;
  if (!row) return;
  if (remove) {
    statement(db, `INSERT INTO proposals_fts (proposals_fts, rowid, title, summary, description) VALUES ('delete', ?, ?, ?, ?)`).run(
      row.seq,
      row.title,
      row.summary,
      row.description,
    );
  } else {
    statement(db, `INSERT INTO proposals_fts (rowid, title, summary, description) VALUES (?, ?, ?, ?)`).run(
      row.seq,
      row.title,
      row.summary,
      row.description,
    );
  }
}
