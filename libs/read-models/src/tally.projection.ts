import { hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { pickedProposalIds, type BallotContent, type BallotEvent } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/**
 * Live tallies per pot: ballots counted, and per proposal its supporters and points. Each
 * ballot stream's current marks are kept so that a replacement, withdrawal or void moves
 * exactly that ballot's marks. `tally_ballots` links pseudonyms (hashed) to marks: no resolver
 * ever reads it; only aggregates leave this read model.
 *
 * Version 2 keeps a ballot in about 40 bytes instead of 460 (its stream name as a 16-byte
 * SHA-256 prefix, its marks as the numbers of its `tally_lines` rows), since time travel keeps
 * copies of this table at many positions; and a ballot's effect on its pot's counts is one
 * statement.
 */
export const tallyProjection: Projection = {
  name: 'tallies',
  version: 2,
  schema: `
    CREATE TABLE tally_ballots (stream_key BLOB PRIMARY KEY, marks TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE tally_pots (pot_id TEXT PRIMARY KEY, ballots INTEGER NOT NULL, paper INTEGER NOT NULL, position TEXT NOT NULL);
    CREATE TABLE tally_lines (line INTEGER PRIMARY KEY, pot_id TEXT NOT NULL, proposal_id TEXT NOT NULL, supporters INTEGER NOT NULL, points INTEGER NOT NULL, UNIQUE (pot_id, proposal_id));`,
  eventTypes: ['BallotCast', 'BallotReplaced', 'BallotWithdrawn', 'BallotVoided'],
  apply(db, recorded) {
    const event = { type: recorded.type, data: recorded.data } as BallotEvent;
    const { potId } = event.data;
    const key = streamKey(recorded.streamName);
    const previous = statement(db, `SELECT marks FROM tally_ballots WHERE stream_key = ?`).get(key) as { marks: string } | undefined;
    let ballots = 0;
    let paper = 0;
    if (previous) {
      const was = unmark(db, previous.marks);
      ballots--;
      paper -= was.paper ? 1 : 0;
    }
    switch (event.type) {
      case 'BallotCast':
      case 'BallotReplaced': {
        const onPaper = event.data.source.channel === 'paper';
        statement(db, `INSERT OR REPLACE INTO tally_ballots (stream_key, marks) VALUES (?, ?)`).run(
          key,
          mark(db, potId, event.data.content, onPaper),
        );
        ballots++;
        paper += onPaper ? 1 : 0;
        break;
      }
      case 'BallotWithdrawn':
      case 'BallotVoided':
        if (previous) statement(db, `DELETE FROM tally_ballots WHERE stream_key = ?`).run(key);
        break;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
    statement(
      db,
      `INSERT INTO tally_pots (pot_id, ballots, paper, position) VALUES (?, ?, ?, ?)
       ON CONFLICT (pot_id) DO UPDATE SET ballots = ballots + excluded.ballots, paper = paper + excluded.paper, position = excluded.position`,
    ).run(potId, ballots, paper, recorded.position);
  },
  applyBatch(db, events) {
    // The same fold as `apply`, with each ballot, line and pot written once a batch: a ballot's
    // marks are kept here between its events, and counts move as sums. Lines are still numbered
    // in the order `apply` numbers them (inserted, at zero, where a mark first needs one).
    const ballots = new Map<string, { key: Buffer; marks: string | undefined }>();
    const lineDelta = new Map<number, { supporters: number; points: number }>();
    const pots = new Map<string, { ballots: number; paper: number; position: string }>();
    // Lines found this batch, by pot and proposal: in its transaction, they stay. A big batch (a
    // rebuild's) reads a pot's lines in one statement when it first needs one of them, where
    // looking each up costs a statement per line and batch; a small one (live) looks up each.
    const seen = new Map<string, Map<string, number>>();
    const bulk = events.length >= BULK_LINES_FROM;
    const lineOf = (potId: string, proposalId: string) => {
      let ofPot = seen.get(potId);
      if (!ofPot) seen.set(potId, (ofPot = bulk ? linesOf(db, potId) : new Map()));
      let line = ofPot.get(proposalId);
      if (line === undefined) ofPot.set(proposalId, (line = bulk ? newLine(db, potId, proposalId) : findLine(db, potId, proposalId)));
      return line;
    };
    const add = (line: number, supporters: number, points: number) => {
      const d = lineDelta.get(line);
      if (d) {
        d.supporters += supporters;
        d.points += points;
      } else lineDelta.set(line, { supporters, points });
    };
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as BallotEvent;
      const { potId } = event.data;
      let ballot = ballots.get(recorded.streamName);
      if (!ballot) {
        const key = streamKey(recorded.streamName);
        // A stream's first event has no ballot before it: most ballots are first casts, read nothing for them.
        const row =
          recorded.revision === 0
            ? undefined
            : (statement(db, `SELECT marks FROM tally_ballots WHERE stream_key = ?`).get(key) as { marks: string } | undefined);
        ballots.set(recorded.streamName, (ballot = { key, marks: row?.marks }));
      }
      let pot = pots.get(potId);
      if (!pot) pots.set(potId, (pot = { ballots: 0, paper: 0, position: recorded.position }));
      pot.position = recorded.position;
      if (ballot.marks !== undefined) {
        const paper = ballot.marks.startsWith('P');
        forEachMark(ballot.marks, (line, points) => add(line, -1, -points));
        pot.ballots--;
        pot.paper -= paper ? 1 : 0;
      }
      switch (event.type) {
        case 'BallotCast':
        case 'BallotReplaced': {
          const onPaper = event.data.source.channel === 'paper';
          const content = event.data.content;
          const marks =
            content.kind === 'cumulative'
              ? content.points.map(({ proposalId, points }) => {
                  const line = lineOf(potId, proposalId);
                  add(line, 1, points);
                  return `${line}:${points}`;
                })
              : pickedProposalIds(content).map((proposalId) => {
                  const line = lineOf(potId, proposalId);
                  add(line, 1, 1);
                  return String(line);
                });
          ballot.marks = `${onPaper ? 'P' : ''}${marks.join(',')}`;
          pot.ballots++;
          pot.paper += onPaper ? 1 : 0;
          break;
        }
        case 'BallotWithdrawn':
        case 'BallotVoided':
          ballot.marks = undefined;
          break;
        default: {
          const unhandled: never = event;
          return unhandled;
        }
      }
    }
    const line = statement(db, `UPDATE tally_lines SET supporters = supporters + ?, points = points + ? WHERE line = ?`);
    for (const [n, d] of lineDelta) if (d.supporters !== 0 || d.points !== 0) line.run(d.supporters, d.points, n);
    const put = statement(db, `INSERT OR REPLACE INTO tally_ballots (stream_key, marks) VALUES (?, ?)`);
    const remove = statement(db, `DELETE FROM tally_ballots WHERE stream_key = ?`);
    for (const { key, marks } of ballots.values()) {
      if (marks === undefined) remove.run(key);
      else put.run(key, marks);
    }
    const upsert = statement(
      db,
      `INSERT INTO tally_pots (pot_id, ballots, paper, position) VALUES (?, ?, ?, ?)
       ON CONFLICT (pot_id) DO UPDATE SET ballots = ballots + excluded.ballots, paper = paper + excluded.paper, position = excluded.position`,
    );
    for (const [potId, p] of pots) upsert.run(potId, p.ballots, p.paper, p.position);
  },
};

/**
 * A ballot stream's key: 128 bits of SHA-256 of its name, a collision among even billions of
 * streams out of reach. One-shot hashing: a sixth of a Hash object's cost, for every ballot folded.
 */
function streamKey(streamName: string): Buffer {
  return hash('sha256', streamName, 'buffer').subarray(0, 16);
}

/** The size of batch from which a pot's lines are read at once (see `applyBatch`). */
const BULK_LINES_FROM = 256;

/** The number of a pot's line for a proposal, inserted at zero when it has none yet. */
function findLine(db: Database.Database, potId: string, proposalId: string): number {
  let lines = knownLines.get(db);
  if (!lines) knownLines.set(db, (lines = new Map()));
  const key = `${potId}/${proposalId}`;
  const known = lines.get(key);
  if (
    known !== undefined &&
    statement(db, `SELECT 1 FROM tally_lines WHERE line = ? AND pot_id = ? AND proposal_id = ?`).get(known, potId, proposalId)
  )
    return known;
  const row = statement(db, `SELECT line FROM tally_lines WHERE pot_id = ? AND proposal_id = ?`).get(potId, proposalId) as
    { line: number } | undefined;
  const line = row?.line ?? newLine(db, potId, proposalId);
  lines.set(key, line);
  return line;
}

/** A pot's lines as stored: their numbers by proposal. */
function linesOf(db: Database.Database, potId: string): Map<string, number> {
  const rows = statement(db, `SELECT line, proposal_id FROM tally_lines WHERE pot_id = ?`).all(potId) as {
    line: number;
    proposal_id: string;
  }[];
  return new Map(rows.map((r) => [r.proposal_id, r.line]));
}

/** A new line of a pot for a proposal, at zero; returns its number. */
function newLine(db: Database.Database, potId: string, proposalId: string): number {
  const row = statement(db, `INSERT INTO tally_lines (pot_id, proposal_id, supporters, points) VALUES (?, ?, 0, 0) RETURNING line`).get(
    potId,
    proposalId,
  ) as { line: number };
  return row.line;
}

/** Calls `visit` with each stored mark's line and points. */
function forEachMark(marks: string, visit: (line: number, points: number) => void): void {
  const body = marks.startsWith('P') ? marks.slice(1) : marks;
  if (body)
    for (const m of body.split(',')) {
      const [n, points] = m.split(':');
      visit(Number(n), points === undefined ? 1 : Number(points));
    }
}

/** Counts a ballot's marks in; returns them as stored: `P` for paper, then `line` or `line:points`, comma-separated. */
function mark(db: Database.Database, potId: string, content: BallotContent, onPaper: boolean): string {
  const marks =
    content.kind === 'cumulative'
      ? content.points.map(({ proposalId, points }) => `${countIn(db, potId, proposalId, points)}:${points}`)
      : pickedProposalIds(content).map((proposalId) => String(countIn(db, potId, proposalId, 1)));
  return `${onPaper ? 'P' : ''}${marks.join(',')}`;
}

/**
 * The numbers of the `tally_lines` rows seen, per database: a hint only, checked by the update
 * itself (a row rolled back with its transaction is simply not found, and is inserted again).
 * Updating a known row by its number costs a third of the insert-or-update that finds it.
 */
const knownLines = new WeakMap<Database.Database, Map<string, number>>();

/** Adds a supporter (and points) to a pot's line for a proposal; returns the line's number. */
function countIn(db: Database.Database, potId: string, proposalId: string, points: number): number {
  let lines = knownLines.get(db);
  if (!lines) knownLines.set(db, (lines = new Map()));
  const key = `${potId}/${proposalId}`;
  const known = lines.get(key);
  if (
    known !== undefined &&
    statement(
      db,
      `UPDATE tally_lines SET supporters = supporters + 1, points = points + ? WHERE line = ? AND pot_id = ? AND proposal_id = ?`,
    ).run(points, known, potId, proposalId).changes === 1
  )
    return known;
  const { line } = statement(
    db,
    `INSERT INTO tally_lines (pot_id, proposal_id, supporters, points) VALUES (?, ?, 1, ?)
     ON CONFLICT (pot_id, proposal_id) DO UPDATE SET supporters = supporters + 1, points = points + excluded.points RETURNING line`,
  ).get(potId, proposalId, points) as { line: number };
  lines.set(key, line);
  return line;
}

/** Counts stored marks out again. */
function unmark(db: Database.Database, marks: string): { paper: boolean } {
  const paper = marks.startsWith('P');
  const body = paper ? marks.slice(1) : marks;
  const line = statement(db, `UPDATE tally_lines SET supporters = supporters - 1, points = points - ? WHERE line = ?`);
  if (body)
    for (const m of body.split(',')) {
      const [n, points] = m.split(':');
      line.run(points === undefined ? 1 : Number(points), Number(n));
    }
  return { paper };
}
