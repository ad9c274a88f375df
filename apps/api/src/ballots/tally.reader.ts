import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { statement, type ReadModelDatabase } from '@civic/projections';
import { READ_MODELS } from '../read-models/read-models.module';
import type { Tally } from './ballot.types';

/** The ballots that count in a pot now, by channel. */
export interface PotChannels {
  readonly ballots: number;
  readonly online: number;
  readonly paper: number;
  readonly assisted: number;
}

/** A tally without its lines. */
export type TallyCounts = Omit<Tally, 'lines'>;

/** A pot's tally as last read, and the position of the last ballot event that moved the pot then. */
interface Kept {
  readonly db: Database.Database;
  readonly moved: string;
  readonly tally: Omit<Tally, 'asOfPosition'>;
}

/** Pots whose tally is kept; past this the oldest read is dropped. */
const MAX_KEPT = 512;

/** Reads a pot's tally: aggregates only, never who marked what. */
@Injectable()
export class TallyReader {
  /**
   * Each pot's tally as last read, kept until a ballot event moves the pot: every ballot event
   * of a pot (the tallies' and the kiosk ballots' only events) sets its `tally_pots.position`
   * in the transaction that folds it, so an unchanged position means unchanged counts and lines.
   */
  private readonly kept = new Map<string, Kept>();

  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  /** The tally keeps each pot's count and its paper ballots; kiosk ballots are counted apart; the rest came online. */
  channels(potId: string): PotChannels {
    return this.channelsOf(potId, this.counted(potId));
  }

  /**
   * A pot's counts without its lines, read together from the read models as they stand: what a
   * live subscriber who asks only for the counts needs (the lines of a pot of 150 proposals cost
   * the most of a tally's read, and every ballot moves them).
   */
  counts(potId: string): TallyCounts {
    const asOfPosition = this.readModels.checkpoint();
    const channels = this.channelsOf(potId, this.counted(potId));
    return {
      potId,
      ballots: channels.ballots,
      paperBallots: channels.paper,
      assistedBallots: channels.assisted,
      onlineBallots: channels.online,
      asOfPosition,
    };
  }

  tally(potId: string): Tally {
    const db = this.readModels.db;
    const asOfPosition = this.readModels.checkpoint();
    const counted = this.counted(potId);
    const kept = this.kept.get(potId);
    if (kept && counted && kept.db === db && kept.moved === counted.position) return { ...kept.tally, asOfPosition };
    const channels = this.channelsOf(potId, counted);
    const lines = statement(
      db,
      `SELECT proposal_id, supporters, points FROM tally_lines WHERE pot_id = ? AND (supporters > 0 OR points > 0) ORDER BY supporters DESC, points DESC, proposal_id`,
    ).all(potId) as { proposal_id: string; supporters: number; points: number }[];
    const tally = {
      potId,
      ballots: channels.ballots,
      paperBallots: channels.paper,
      assistedBallots: channels.assisted,
      onlineBallots: channels.online,
      lines: lines.map((l) => ({ proposalId: l.proposal_id, supporters: l.supporters, points: l.points })),
    };
    if (counted) {
      this.kept.delete(potId);
      if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
      this.kept.set(potId, { db, moved: counted.position, tally });
    }
    return { ...tally, asOfPosition };
  }

  private counted(potId: string) {
    return statement(this.readModels.db, `SELECT ballots, paper, position FROM tally_pots WHERE pot_id = ?`).get(potId) as
      { ballots: number; paper: number; position: string } | undefined;
  }

  private channelsOf(potId: string, counted: { ballots: number; paper: number } | undefined): PotChannels {
    const assisted = (
      statement(this.readModels.db, `SELECT count(*) AS n FROM assisted_ballots WHERE pot_id = ?`).get(potId) as { n: number }
    ).n;
    const { ballots, paper } = counted ?? { ballots: 0, paper: 0 };
    return { ballots, online: ballots - paper - assisted, paper, assisted };
  }
}
