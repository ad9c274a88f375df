import type { BallotEvent, PaperBatchEvent } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/**
 * Paper batches of each pot with their reconciliation: the sheets the officer counted, the forms
 * entered, ballots recorded from them (the rest were refused by the voting rules), how often the
 * header was corrected; and each entry's outcome: recorded, refused (with the code and plain
 * message), or corrected (with the reason: a recorded ballot replaced, or a refused sheet whose
 * ballot was recorded once taken up again). Never the voter, never the marks.
 */
export const paperBatchesProjection: Projection = {
  name: 'paper_batches',
  version: 3,
  schema: `
    CREATE TABLE paper_batches (
      batch_id TEXT PRIMARY KEY, fund_id TEXT NOT NULL, pot_id TEXT NOT NULL, officer TEXT NOT NULL, location TEXT NOT NULL,
      collected_at TEXT NOT NULL, scan_reference TEXT NOT NULL, sheets_counted INTEGER, entry_count INTEGER NOT NULL, recorded INTEGER NOT NULL,
      corrections INTEGER NOT NULL, seq INTEGER NOT NULL, position TEXT NOT NULL
    );
    CREATE INDEX paper_batches_by_pot ON paper_batches (pot_id, seq);
    CREATE TABLE paper_batch_entries (
      batch_id TEXT NOT NULL, entry_no INTEGER NOT NULL, status TEXT NOT NULL, code TEXT, message TEXT, correction_reason TEXT,
      PRIMARY KEY (batch_id, entry_no)
    );`,
  eventTypes: ['PaperBatchRecorded', 'PaperBatchCorrected', 'PaperEntryRefused', 'PaperEntryCorrected', 'BallotCast', 'BallotReplaced'],
  apply(db, recorded) {
    const event = { type: recorded.type, data: recorded.data } as PaperBatchEvent | BallotEvent;
    const entry = (batchId: string, entryNo: number, status: string, code: string | null = null, message: string | null = null) =>
      statement(
        db,
        `INSERT INTO paper_batch_entries (batch_id, entry_no, status, code, message) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (batch_id, entry_no) DO UPDATE SET status = excluded.status, code = excluded.code, message = excluded.message,
           correction_reason = CASE WHEN excluded.status = 'refused' THEN NULL ELSE correction_reason END`,
      ).run(batchId, entryNo, status, code, message);
    switch (event.type) {
      case 'PaperBatchRecorded': {
        const d = event.data;
        statement(
          db,
          `INSERT INTO paper_batches (batch_id, fund_id, pot_id, officer, location, collected_at, scan_reference, sheets_counted, entry_count, recorded, corrections, seq, position)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, (SELECT count(*) FROM paper_batches), ?)
           ON CONFLICT (batch_id) DO NOTHING`,
        ).run(
          d.batchId,
          d.fundId,
          d.potId,
          d.officer,
          d.location,
          d.collectedAt,
          d.scanReference,
          d.sheetsCounted ?? null,
          d.entryCount,
          recorded.position,
        );
        return;
      }
      case 'PaperBatchCorrected': {
        const c = event.data.corrections;
        statement(
          db,
          `UPDATE paper_batches SET officer = coalesce(?, officer), location = coalesce(?, location), collected_at = coalesce(?, collected_at),
           scan_reference = coalesce(?, scan_reference), sheets_counted = coalesce(?, sheets_counted), corrections = corrections + 1, position = ?
           WHERE batch_id = ?`,
        ).run(
          c.officer ?? null,
          c.location ?? null,
          c.collectedAt ?? null,
          c.scanReference ?? null,
          c.sheetsCounted ?? null,
          recorded.position,
          event.data.batchId,
        );
        return;
      }
      case 'PaperEntryRefused':
        entry(event.data.batchId, event.data.entryNo, 'refused', event.data.code, event.data.message);
        return;
      case 'PaperEntryCorrected':
        // Taken up again: the reason waits here for the sheet's ballot, which makes the entry corrected.
        statement(db, `UPDATE paper_batch_entries SET correction_reason = ? WHERE batch_id = ? AND entry_no = ?`).run(
          event.data.reason,
          event.data.batchId,
          event.data.entryNo,
        );
        return;
      case 'BallotCast':
      case 'BallotReplaced': {
        const source = event.data.source;
        if (source.channel !== 'paper') return;
        // A corrected entry replaces the ballot of the same entry: count each entry once.
        if (event.type === 'BallotReplaced' && 'reason' in event.data) {
          statement(
            db,
            `UPDATE paper_batch_entries SET status = 'corrected', correction_reason = ? WHERE batch_id = ? AND entry_no = ?`,
          ).run(String(event.data.reason), source.batchId, source.entryNo);
          return;
        }
        statement(db, `UPDATE paper_batches SET recorded = recorded + 1 WHERE batch_id = ?`).run(source.batchId);
        // The ballot of a refused sheet taken up again: the entry is corrected, with the reason given when it was taken up.
        const was = statement(db, `SELECT status, correction_reason FROM paper_batch_entries WHERE batch_id = ? AND entry_no = ?`).get(
          source.batchId,
          source.entryNo,
        ) as { status: string; correction_reason: string | null } | undefined;
        entry(source.batchId, source.entryNo, was?.status === 'refused' && was.correction_reason !== null ? 'corrected' : 'recorded');
        return;
      }
      default:
        return;
    }
  },
};
