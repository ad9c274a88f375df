import type { BallotVoided } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/**
 * The public, anonymous log of voided ballots: the pot, the reason and when, never whose ballot
 * (no pseudonym, no stream name is kept here).
 */
export const voidedBallotsProjection: Projection = {
  name: 'voided_ballots',
  version: 1,
  schema: `
    CREATE TABLE voided_ballots (seq INTEGER PRIMARY KEY AUTOINCREMENT, fund_id TEXT NOT NULL, pot_id TEXT NOT NULL, reason TEXT NOT NULL, voided_at TEXT NOT NULL, position TEXT NOT NULL);
    CREATE INDEX voided_ballots_by_pot ON voided_ballots (pot_id, seq);`,
  eventTypes: ['BallotVoided'],
  apply(db, recorded) {
    const d = recorded.data as unknown as BallotVoided['data'];
    statement(db, `INSERT INTO voided_ballots (fund_id, pot_id, reason, voided_at, position) VALUES (?, ?, ?, ?, ?)`).run(
      d.fundId,
      d.potId,
      d.reason,
      String(recorded.metadata?.time ?? recorded.recordedAt),
      recorded.position,
    );
  },
};
