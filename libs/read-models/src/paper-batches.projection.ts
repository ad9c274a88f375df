import type { BallotEvent, PaperBatchEvent } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/**
 * Paper batches of each pot with their reconciliation: forms in the batch, ballots recorded from
 * them (the rest were refused by the voting rules), and how often the header was corrected.
 */
export const paperBatchesProjection: Projection = {
  name: 'paper_batches',
  version: 1,
  schema: `
    CREATE TABLE paper_batches (
      batch_id TEXT PRIMARY KEY, fund_id TEXT NOT NULL, pot_id TEXT NOT NULL, officer TEXT NOT NULL, location TEXT NOT NULL,
      collected_at TEXT NOT NULL, scan_reference TEXT NOT NULL, entry_count INTEGER NOT NULL, recorded INTEGER NOT NULL,
      corrections INTEGER NOT NULL, seq INTEGER NOT NULL, position TEXT NOT NULL
    );
    CREATE INDEX paper_batches_by_pot ON paper_batches (pot_id, seq);`,
  eventTypes: ['PaperBatchRecorded', 'PaperBatchCorrected', 'BallotCast', 'BallotReplaced'],
  apply(db, recorded) {
    const event = { type: recorded.type, data: recorded.data } as PaperBatchEvent | BallotEvent;
    switch (event.type) {
      case 'PaperBatchRecorded': {
        const d = event.data;
        statement(
          db,
          `INSERT INTO paper_batches (batch_id, fund_id, pot_id, officer, location, collected_at, scan_reference, entry_count, recorded, corrections, seq, position)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, (SELECT count(*) FROM paper_batches), ?)
           ON CONFLICT (batch_id) DO NOTHING`,
        ).run(d.batchId, d.fundId, d.potId, d.officer, d.location, d.collectedAt, d.scanReference, d.entryCount, recorded.position);
        return;
      }
      case 'PaperBatchCorrected': {
        const c = event.data.corrections;
        statement(
          db,
          `UPDATE paper_batches SET officer = coalesce(?, officer), location = coalesce(?, location), collected_at = coalesce(?, collected_at),
           scan_reference = coalesce(?, scan_reference), corrections = corrections + 1, position = ? WHERE batch_id = ?`,
        ).run(c.officer ?? null, c.location ?? null, c.collectedAt ?? null, c.scanReference ?? null, recorded.position, event.data.batchId);
        return;
      }
      case 'BallotCast':
      case 'BallotReplaced': {
        const source = event.data.source;
        // A corrected entry replaces the ballot of the same entry: count each entry once.
        if (source.channel !== 'paper' || (event.type === 'BallotReplaced' && 'reason' in event.data)) return;
        statement(db, `UPDATE paper_batches SET recorded = recorded + 1 WHERE batch_id = ?`).run(source.batchId);
        return;
      }
      default:
        return;
    }
  },
};
