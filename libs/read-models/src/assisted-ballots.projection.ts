import type { BallotEvent } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/**
 * The ballots that count now and were cast at a kiosk (assisted voting), by pot and kiosk: what
 * turnout shows as the `assisted` channel. A ballot stream's latest event decides: replaced
 * online, withdrawn or voided, it leaves; the officer and place stay in the ballot's own event.
 */
export const assistedBallotsProjection: Projection = {
  name: 'assisted_ballots',
  version: 1,
  schema: `
    CREATE TABLE assisted_ballots (stream_name TEXT PRIMARY KEY, pot_id TEXT NOT NULL, kiosk_id TEXT NOT NULL) WITHOUT ROWID;
    CREATE INDEX assisted_ballots_by_pot ON assisted_ballots (pot_id);`,
  eventTypes: ['BallotCast', 'BallotReplaced', 'BallotWithdrawn', 'BallotVoided'],
  apply(db, recorded) {
    const event = { type: recorded.type, data: recorded.data } as BallotEvent;
    const source = event.type === 'BallotCast' || event.type === 'BallotReplaced' ? event.data.source : undefined;
    if (source?.channel === 'assisted') {
      statement(db, `INSERT OR REPLACE INTO assisted_ballots (stream_name, pot_id, kiosk_id) VALUES (?, ?, ?)`).run(
        recorded.streamName,
        event.data.potId,
        source.kioskId,
      );
    } else if (recorded.revision > 0) {
      // A stream's first event has no row before it to remove (most ballots are first casts).
      statement(db, `DELETE FROM assisted_ballots WHERE stream_name = ?`).run(recorded.streamName);
    }
  },
};
