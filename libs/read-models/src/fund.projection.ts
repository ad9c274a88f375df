import type Database from 'better-sqlite3';
import { DEFAULT_TIME_ZONE, type FundEvent, type Pot } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/** Funds and their pots, as administrators set them up and as phases move on. */
export const fundProjection: Projection = {
  name: 'funds',
  version: 2,
  schema: `
    CREATE TABLE funds (
      fund_id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, currency TEXT NOT NULL,
      phase TEXT NOT NULL, minimum_age INTEGER NOT NULL, time_zone TEXT NOT NULL, schedule TEXT NOT NULL,
      created_at TEXT NOT NULL, revision INTEGER NOT NULL, position TEXT NOT NULL
    );
    CREATE TABLE pots (
      pot_id TEXT PRIMARY KEY, fund_id TEXT NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL, ward TEXT,
      budget INTEGER NOT NULL, ballot TEXT NOT NULL, rule TEXT NOT NULL, tie_break TEXT NOT NULL, ordinal INTEGER NOT NULL
    );
    CREATE INDEX pots_by_fund ON pots (fund_id, ordinal);
    CREATE TABLE voting_changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, fund_id TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL,
      previous_closes_at TEXT, voting_closes_at TEXT, position TEXT NOT NULL
    );
    CREATE INDEX voting_changes_by_fund ON voting_changes (fund_id, seq);`,
  eventTypes: [
    'FundCreated',
    'FundRescheduled',
    'PotAdded',
    'PotRulesChanged',
    'BallotPublicationChosen',
    'ProposalsOpened',
    'ReviewStarted',
    'VotingOpened',
    'VotingClosed',
    'VotingExtended',
    'ResultsPublished',
    'DeliveryStarted',
    'FundClosed',
  ],
  apply(db, recorded) {
    const event = { type: recorded.type, data: recorded.data } as FundEvent;
    const touch = (fundId: string, set = '', ...values: unknown[]) =>
      statement(db, `UPDATE funds SET ${set}${set ? ', ' : ''}revision = ?, position = ? WHERE fund_id = ?`).run(
        ...values,
        recorded.revision,
        recorded.position,
        fundId,
      );
    switch (event.type) {
      case 'FundCreated': {
        const d = event.data;
        statement(
          db,
          `INSERT INTO funds (fund_id, name, description, currency, phase, minimum_age, time_zone, schedule, created_at, revision, position)
           VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)`,
        ).run(
          d.fundId,
          d.name,
          d.description,
          d.currency,
          d.minimumAge,
          d.timeZone ?? DEFAULT_TIME_ZONE,
          JSON.stringify(d.schedule),
          recorded.recordedAt,
          recorded.revision,
          recorded.position,
        );
        return;
      }
      case 'FundRescheduled':
        return void touch(event.data.fundId, 'schedule = ?', JSON.stringify(event.data.schedule));
      case 'PotAdded':
        insertPot(db, event.data.fundId, event.data.pot);
        return void touch(event.data.fundId);
      case 'PotRulesChanged': {
        const r = event.data.rules;
        statement(db, `UPDATE pots SET budget = ?, ballot = ?, rule = ?, tie_break = ? WHERE pot_id = ?`).run(
          r.budget,
          JSON.stringify(r.ballot),
          r.rule,
          JSON.stringify(r.tieBreak),
          event.data.potId,
        );
        return void touch(event.data.fundId);
      }
      case 'BallotPublicationChosen':
        return void touch(event.data.fundId);
      case 'ProposalsOpened':
        return void touch(event.data.fundId, `phase = 'proposals_open'`);
      case 'ReviewStarted':
        return void touch(event.data.fundId, `phase = 'review'`);
      case 'VotingOpened':
        return void touch(event.data.fundId, `phase = 'voting_open'`);
      case 'VotingClosed': {
        const early = event.data.early;
        if (!early) return void touch(event.data.fundId, `phase = 'voting_closed'`);
        votingChange(db, event.data.fundId, 'closed_early', early.reason, early.closedAt, recorded.position);
        return void touch(
          event.data.fundId,
          `phase = 'voting_closed', schedule = json_set(schedule, '$.votingClosesAt', ?)`,
          early.closedAt,
        );
      }
      case 'VotingExtended': {
        const d = event.data;
        votingChange(
          db,
          d.fundId,
          'extended',
          d.reason,
          String(recorded.metadata?.time ?? recorded.recordedAt),
          recorded.position,
          d.previousClosesAt,
          d.votingClosesAt,
        );
        return void touch(d.fundId, `schedule = json_set(schedule, '$.votingClosesAt', ?)`, d.votingClosesAt);
      }
      case 'ResultsPublished':
        return void touch(event.data.fundId, `phase = 'results_published'`);
      case 'DeliveryStarted':
        return void touch(event.data.fundId, `phase = 'delivery'`);
      case 'FundClosed':
        return void touch(event.data.fundId, `phase = 'closed'`);
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  },
};

function insertPot(db: Database.Database, fundId: string, pot: Pot): void {
  const ordinal = (statement(db, `SELECT count(*) AS n FROM pots WHERE fund_id = ?`).get(fundId) as { n: number }).n;
  statement(
    db,
    `INSERT INTO pots (pot_id, fund_id, name, scope, ward, budget, ballot, rule, tie_break, ordinal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    pot.potId,
    fundId,
    pot.name,
    pot.scope.kind,
    pot.scope.kind === 'ward' ? pot.scope.ward : null,
    pot.budget,
    JSON.stringify(pot.ballot),
    pot.rule,
    JSON.stringify(pot.tieBreak),
    ordinal,
  );
}

/** An extension or an early close of voting: public, with its reason (who did it is in the audit log). */
function votingChange(
  db: Database.Database,
  fundId: string,
  kind: 'extended' | 'closed_early',
  reason: string,
  at: string,
  position: string,
  previousClosesAt: string | null = null,
  votingClosesAt: string | null = null,
): void {
  statement(
    db,
    `INSERT INTO voting_changes (fund_id, kind, reason, at, previous_closes_at, voting_closes_at, position) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(fundId, kind, reason, at, previousClosesAt, votingClosesAt, position);
}
