import { Inject, Injectable } from '@nestjs/common';
import { FROZEN_PHASES, type Phase } from '@civic/domain';
import { statement, type ReadModelDatabase } from '@civic/projections';
import { READ_MODELS } from '../read-models/read-models.module';
import type { Fund, Pot, Schedule } from './fund.types';

interface FundRow {
  fund_id: string;
  name: string;
  description: string;
  currency: string;
  phase: string;
  minimum_age: number;
  time_zone: string;
  schedule: string;
  revision: number;
  position: string;
}

interface PotRow {
  pot_id: string;
  name: string;
  scope: string;
  ward: string | null;
  budget: number;
  ballot: string;
  rule: string;
  tie_break: string;
}

/** Funds kept built; the oldest built is dropped past this. */
const MAX_BUILT_FUNDS = 256;

/** Reads funds and pots from the read models. */
@Injectable()
export class FundReader {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  list(): Fund[] {
    const rows = statement(this.readModels.db, `SELECT * FROM funds ORDER BY created_at DESC, fund_id`).all() as FundRow[];
    return rows.map((row) => this.toFund(row));
  }

  get(fundId: string): Fund | undefined {
    const row = statement(this.readModels.db, `SELECT * FROM funds WHERE fund_id = ?`).get(fundId) as FundRow | undefined;
    return row && this.toFund(row);
  }

  /** A fund's phase alone, without building its pots and changes (a resident's every ballot read asks it). */
  phase(fundId: string): Phase | undefined {
    return (statement(this.readModels.db, `SELECT phase FROM funds WHERE fund_id = ?`).get(fundId) as { phase: Phase } | undefined)?.phase;
  }

  /** The phase of the fund a pot belongs to, without building the fund (every tally read and live update asks it). */
  potPhase(potId: string): Phase | undefined {
    return (
      statement(this.readModels.db, `SELECT f.phase FROM pots p JOIN funds f ON f.fund_id = p.fund_id WHERE p.pot_id = ?`).get(potId) as
        { phase: Phase } | undefined
    )?.phase;
  }

  /** The fund a pot belongs to. */
  byPot(potId: string): Fund | undefined {
    const row = statement(this.readModels.db, `SELECT f.* FROM funds f JOIN pots p ON p.fund_id = f.fund_id WHERE p.pot_id = ?`).get(
      potId,
    ) as FundRow | undefined;
    return row && this.toFund(row);
  }

  /** Pots whose fund's voting has opened: their rules are frozen (FUND.RULES_FROZEN), so they are kept. */
  private readonly frozenPots = new Map<string, Pot>();

  /** One pot of a fund, without building the rest of the fund. */
  pot(fundId: string, potId: string): Pot | undefined {
    const key = `${fundId}/${potId}`;
    const frozen = this.frozenPots.get(key);
    if (frozen) return frozen;
    const row = statement(
      this.readModels.db,
      `SELECT pots.*, funds.phase FROM pots JOIN funds ON funds.fund_id = pots.fund_id WHERE pots.fund_id = ? AND pots.pot_id = ?`,
    ).get(fundId, potId) as (PotRow & { phase: Phase }) | undefined;
    if (!row) return undefined;
    const pot = toPot(row);
    if (FROZEN_PHASES.includes(row.phase)) this.frozenPots.set(key, pot);
    return pot;
  }

  /** Funds as last built, by id: a row at the same revision and position is the same fund, pots and changes included. */
  private readonly built = new Map<string, { revision: number; position: string; fund: Fund }>();

  /**
   * Every fund event moves its row's revision and position (pots and voting changes come from
   * the fund's stream), so a fund is built again only when one came; unchanged, the same frozen
   * object is handed out (pages read their fund on every request).
   */
  private toFund(row: FundRow): Fund {
    const known = this.built.get(row.fund_id);
    if (known && known.revision === row.revision && known.position === row.position) return known.fund;
    const fund = deepFreeze(this.build(row));
    if (this.built.size >= MAX_BUILT_FUNDS && !this.built.has(row.fund_id)) this.built.delete(this.built.keys().next().value!);
    this.built.set(row.fund_id, { revision: row.revision, position: row.position, fund });
    return fund;
  }

  private build(row: FundRow): Fund {
    const pots = statement(this.readModels.db, `SELECT * FROM pots WHERE fund_id = ? ORDER BY ordinal`).all(row.fund_id) as PotRow[];
    return {
      id: row.fund_id,
      name: row.name,
      description: row.description,
      currency: row.currency,
      phase: row.phase as Fund['phase'],
      minimumAge: row.minimum_age,
      timeZone: row.time_zone,
      schedule: toSchedule(JSON.parse(row.schedule) as Record<keyof Schedule, string>),
      revision: row.revision,
      position: row.position,
      pots: pots.map(toPot),
      votingChanges: (
        statement(this.readModels.db, `SELECT * FROM voting_changes WHERE fund_id = ? ORDER BY seq`).all(row.fund_id) as {
          kind: string;
          reason: string;
          at: string;
          previous_closes_at: string | null;
          voting_closes_at: string | null;
          position: string;
        }[]
      ).map((c) => ({
        kind: c.kind,
        reason: c.reason,
        time: new Date(c.at),
        previousClosesAt: c.previous_closes_at ? new Date(c.previous_closes_at) : undefined,
        votingClosesAt: c.voting_closes_at ? new Date(c.voting_closes_at) : undefined,
        position: c.position,
      })),
    };
  }
}

function toPot(p: PotRow): Pot {
  return {
    id: p.pot_id,
    name: p.name,
    ward: p.ward ?? undefined,
    budget: p.budget,
    ballot: JSON.parse(p.ballot),
    rule: p.rule as Pot['rule'],
    tieBreak: JSON.parse(p.tie_break),
  };
}

function toSchedule(stored: Record<keyof Schedule, string>): Schedule {
  return {
    proposalsOpenAt: new Date(stored.proposalsOpenAt),
    reviewStartsAt: new Date(stored.reviewStartsAt),
    votingOpensAt: new Date(stored.votingOpensAt),
    votingClosesAt: new Date(stored.votingClosesAt),
  };
}

/** Frozen through and through (dates aside): a shared fund cannot be changed by one reader for the next. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date) && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
