import type { DeliveryEvent } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/** Delivery of funded proposals: each milestone as last reported, and every spend item. Public. */
export const deliveryProjection: Projection = {
  name: 'delivery',
  version: 1,
  schema: `
    CREATE TABLE delivery_milestones (
      proposal_id TEXT NOT NULL, milestone_id TEXT NOT NULL, fund_id TEXT NOT NULL, title TEXT NOT NULL, status TEXT NOT NULL,
      note TEXT NOT NULL, reported_at TEXT NOT NULL, ordinal INTEGER NOT NULL, PRIMARY KEY (proposal_id, milestone_id)
    );
    CREATE TABLE delivery_spends (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, spend_id TEXT NOT NULL, proposal_id TEXT NOT NULL, fund_id TEXT NOT NULL, amount INTEGER NOT NULL,
      description TEXT NOT NULL, spent_on TEXT NOT NULL, overspend_reason TEXT, position TEXT NOT NULL
    );
    CREATE INDEX delivery_spends_by_proposal ON delivery_spends (proposal_id, seq);
    CREATE INDEX delivery_spends_by_fund ON delivery_spends (fund_id, seq);`,
  eventTypes: ['MilestoneReported', 'SpendReported'],
  apply(db, recorded) {
    const event = { type: recorded.type, data: recorded.data } as DeliveryEvent;
    const at = String(recorded.metadata?.time ?? recorded.recordedAt);
    switch (event.type) {
      case 'MilestoneReported': {
        const d = event.data;
        // A milestone keeps the place it was first reported in; later reports update it.
        statement(
          db,
          `INSERT INTO delivery_milestones (proposal_id, milestone_id, fund_id, title, status, note, reported_at, ordinal)
           VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT count(*) FROM delivery_milestones WHERE proposal_id = ?))
           ON CONFLICT (proposal_id, milestone_id) DO UPDATE SET title = excluded.title, status = excluded.status, note = excluded.note, reported_at = excluded.reported_at`,
        ).run(d.proposalId, d.milestoneId, d.fundId, d.title, d.status, d.note, at, d.proposalId);
        return;
      }
      case 'SpendReported': {
        const d = event.data;
        statement(
          db,
          `INSERT INTO delivery_spends (spend_id, proposal_id, fund_id, amount, description, spent_on, overspend_reason, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(d.spendId, d.proposalId, d.fundId, d.amount, d.description, d.spentOn, d.overspendReason ?? null, recorded.position);
        return;
      }
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  },
};
