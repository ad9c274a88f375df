import { Inject, Injectable } from '@nestjs/common';
import { statement, type ReadModelDatabase } from '@civic/projections';
import { READ_MODELS } from '../read-models/read-models.module';
import type { Tally } from './ballot.types';

/** Reads a pot's tally: aggregates only, never who marked what. */
@Injectable()
export class TallyReader {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  tally(potId: string): Tally {
    const db = this.readModels.db;
    const pot = statement(db, `SELECT ballots, paper FROM tally_pots WHERE pot_id = ?`).get(potId) as
      { ballots: number; paper: number } | undefined;
    const lines = statement(
      db,
      `SELECT proposal_id, supporters, points FROM tally_lines WHERE pot_id = ? AND (supporters > 0 OR points > 0) ORDER BY supporters DESC, points DESC, proposal_id`,
    ).all(potId) as { proposal_id: string; supporters: number; points: number }[];
    return {
      potId,
      ballots: pot?.ballots ?? 0,
      paperBallots: pot?.paper ?? 0,
      lines: lines.map((l) => ({ proposalId: l.proposal_id, supporters: l.supporters, points: l.points })),
      asOfPosition: this.readModels.checkpoint(),
    };
  }
}
