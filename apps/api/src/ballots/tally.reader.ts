import { Inject, Injectable } from '@nestjs/common';
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

/** Reads a pot's tally: aggregates only, never who marked what. */
@Injectable()
export class TallyReader {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  /** The tally keeps each pot's count and its paper ballots; kiosk ballots are counted apart; the rest came online. */
  channels(potId: string): PotChannels {
    const db = this.readModels.db;
    const assisted = (statement(db, `SELECT count(*) AS n FROM assisted_ballots WHERE pot_id = ?`).get(potId) as { n: number }).n;
    const counted = (statement(db, `SELECT ballots, paper FROM tally_pots WHERE pot_id = ?`).get(potId) as
      { ballots: number; paper: number } | undefined) ?? { ballots: 0, paper: 0 };
    return { ballots: counted.ballots, online: counted.ballots - counted.paper - assisted, paper: counted.paper, assisted };
  }

  tally(potId: string): Tally {
    const db = this.readModels.db;
    const channels = this.channels(potId);
    const lines = statement(
      db,
      `SELECT proposal_id, supporters, points FROM tally_lines WHERE pot_id = ? AND (supporters > 0 OR points > 0) ORDER BY supporters DESC, points DESC, proposal_id`,
    ).all(potId) as { proposal_id: string; supporters: number; points: number }[];
    return {
      potId,
      ballots: channels.ballots,
      paperBallots: channels.paper,
      assistedBallots: channels.assisted,
      onlineBallots: channels.online,
      lines: lines.map((l) => ({ proposalId: l.proposal_id, supporters: l.supporters, points: l.points })),
      asOfPosition: this.readModels.checkpoint(),
    };
  }
}
