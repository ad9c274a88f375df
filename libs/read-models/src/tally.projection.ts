import type Database from 'better-sqlite3';
import { pickedProposalIds, type BallotContent, type BallotEvent } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/**
 * Live tallies per pot: ballots counted, and per proposal its supporters and points. Each
 * ballot stream's current content is kept so that a replacement, withdrawal or void moves
 * exactly that ballot's marks. `tally_ballots` links pseudonyms to marks: no resolver ever
 * reads it; only aggregates leave this read model.
 */
export const tallyProjection: Projection = {
  name: 'tallies',
  version: 1,
  schema: `
    CREATE TABLE tally_ballots (stream TEXT PRIMARY KEY, pot_id TEXT NOT NULL, content TEXT NOT NULL, channel TEXT NOT NULL);
    CREATE TABLE tally_pots (pot_id TEXT PRIMARY KEY, ballots INTEGER NOT NULL, paper INTEGER NOT NULL, position TEXT NOT NULL);
    CREATE TABLE tally_lines (pot_id TEXT NOT NULL, proposal_id TEXT NOT NULL, supporters INTEGER NOT NULL, points INTEGER NOT NULL, PRIMARY KEY (pot_id, proposal_id));`,
  eventTypes: ['BallotCast', 'BallotReplaced', 'BallotWithdrawn', 'BallotVoided'],
  apply(db, recorded) {
    const event = { type: recorded.type, data: recorded.data } as BallotEvent;
    const { potId } = event.data;
    const previous = statement(db, `SELECT content, channel FROM tally_ballots WHERE stream = ?`).get(recorded.streamName) as
      { content: string; channel: string } | undefined;
    if (previous) count(db, potId, JSON.parse(previous.content), previous.channel, -1);
    switch (event.type) {
      case 'BallotCast':
      case 'BallotReplaced': {
        const channel = event.data.source.channel;
        statement(db, `INSERT OR REPLACE INTO tally_ballots (stream, pot_id, content, channel) VALUES (?, ?, ?, ?)`).run(
          recorded.streamName,
          potId,
          JSON.stringify(event.data.content),
          channel,
        );
        count(db, potId, event.data.content, channel, +1);
        break;
      }
      case 'BallotWithdrawn':
      case 'BallotVoided':
        statement(db, `DELETE FROM tally_ballots WHERE stream = ?`).run(recorded.streamName);
        break;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
    statement(db, `UPDATE tally_pots SET position = ? WHERE pot_id = ?`).run(recorded.position, potId);
  },
};

function count(db: Database.Database, potId: string, content: BallotContent, channel: string, sign: 1 | -1): void {
  statement(
    db,
    `INSERT INTO tally_pots (pot_id, ballots, paper, position) VALUES (?, ?, ?, '') ON CONFLICT (pot_id) DO UPDATE SET ballots = ballots + excluded.ballots, paper = paper + excluded.paper`,
  ).run(potId, sign, channel === 'paper' ? sign : 0);
  const line = statement(
    db,
    `INSERT INTO tally_lines (pot_id, proposal_id, supporters, points) VALUES (?, ?, ?, ?)
     ON CONFLICT (pot_id, proposal_id) DO UPDATE SET supporters = supporters + excluded.supporters, points = points + excluded.points`,
  );
  if (content.kind === 'cumulative') {
    for (const { proposalId, points } of content.points) line.run(potId, proposalId, sign, sign * points);
  } else {
    for (const proposalId of pickedProposalIds(content)) line.run(potId, proposalId, sign, sign);
  }
}
