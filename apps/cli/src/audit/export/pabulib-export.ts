import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { writePabulib, type Election } from '@civic/allocation';
import { allocationInputs } from '@civic/application';
import { FROZEN_PHASES, ruleKeyFor, type ExistingFund, type Pot } from '@civic/domain';
import { HistoryFold } from '../history/history-fold';
import { passOver } from '../history/read-history';
import type { RecordedEvent } from '@civic/event-store';
import { Cut } from '../shared/as-of';
import type { EventLog } from '../shared/event-log';
import type { ExportPassOptions } from './jsonl-export';
import { sees, type Viewer } from '@civic/policy';
import { fundPhases } from './fund-phases';
import { toHour } from './public-event';

/** What a pabulib export folds; nothing else is read. */
export const PB_CATEGORIES = ['fund', 'proposal', 'ballot', 'allocation'];

/** One pot of `export --format pb`. */
export interface PotFile {
  readonly fundId: string;
  readonly potId: string;
  /** Null when the pot was not written. */
  readonly file: string | null;
  readonly votes: number;
  /** Whether the PROJECTS section has a `selected` column: only once the pot's allocation is published. */
  readonly selected: boolean;
  readonly withheld?: string;
}

export interface PabulibSummary {
  readonly events: number;
  readonly interrupted: boolean;
  readonly pots: PotFile[];
}

/**
 * One .pb file per pot of every fund whose voting has opened, from the ballots as they stand
 * at the end of the log, or as they stood at `asOf`. Money is in pounds (the currency's major unit, as pabulib files
 * use; the platform records pence): `budget` and `cost` are exact decimals. Voters appear as
 * their pseudonyms; each vote's `time` is when it was last cast or replaced, to the hour.
 * The embargo decides, for the auditor (`auditor`) or else the public: a pot is written only
 * where its ballot marks may be seen, with `selected` only where its results may, and exact
 * times only for the auditor.
 */
export async function exportPabulib(log: EventLog, dir: string, auditor: boolean, options: ExportPassOptions): Promise<PabulibSummary> {
  const fold = new HistoryFold();
  const cut = new Cut(options.asOf);
  const folded = new Set(PB_CATEGORIES);
  // To a position the pass reads every stream (the position may be anyone's) and folds only these.
  const visit = (e: RecordedEvent) => void (folded.has(e.streamName.slice(0, e.streamName.indexOf('-'))) && fold.apply(e));
  const viewer: Viewer = auditor ? 'auditor' : 'anonymous';
  const phases = await fundPhases(log, options);
  const end = await passOver(log, visit, { ...options, categories: PB_CATEGORIES, asOf: cut });
  const pots: PotFile[] = [];
  if (end.interrupted) return { events: end.events, interrupted: true, pots };
  cut.mustHaveMet();
  for (const fundId of fold.funds.keys()) {
    const fund = fold.fund(fundId);
    if (!fund || !FROZEN_PHASES.includes(fund.status)) continue;
    for (const pot of fund.pots) {
      if (!sees(viewer, 'ballotMarks', phases(fundId))) {
        pots.push({
          fundId,
          potId: pot.potId,
          file: null,
          votes: 0,
          selected: false,
          withheld: 'ballot marks are withheld until the results are published (--auditor to include them)',
        });
        continue;
      }
      const { election, selected } = potElection(fold, fund, pot, {
        results: sees(viewer, 'results', phases(fundId)),
        exactTimes: sees(viewer, 'ballotTimes', phases(fundId)),
      });
      const file = join(dir, `${safe(fund.fundId)}_${safe(pot.potId)}.pb`);
      await writeLines(file, writePabulib(election));
      pots.push({ fundId, potId: pot.potId, file, votes: election.ballots.length, selected });
    }
  }
  return { events: end.events, interrupted: false, pots };
}

function potElection(
  fold: HistoryFold,
  fund: ExistingFund,
  pot: Pot,
  may: { readonly results: boolean; readonly exactTimes: boolean },
): { election: Election; selected: boolean } {
  const accepted = fold.acceptedProposals(fund.fundId, pot.potId);
  const counted = fold.countedBallots(pot.potId);
  // The election the rule is given (same sort, by pseudonym), with the voters and times added for export.
  const { election } = allocationInputs(fund.fundId, pot, accepted, counted);
  const allocation = fold.allocations.get(pot.potId);
  const funded =
    may.results && allocation?.status === 'published'
      ? new Set(allocation.lines.filter((l) => l.funded).map((l) => l.proposalId))
      : undefined;
  const title = (id: string) => {
    const p = fold.proposals.get(id);
    return p && p.status !== 'none' ? p.title : '';
  };
  const meta: Record<string, string> = {
    description: `${fund.name}: ${pot.name}`,
    unit: pot.name,
    instance: fund.fundId,
    rule: ruleKeyFor(pot.ballot, pot.rule),
    date_begin: fund.schedule.votingOpensAt,
    date_end: fund.schedule.votingClosesAt,
    currency: fund.currency,
    money_unit: 'pounds: the currency major unit; the platform records pence (budget and costs here are pence / 100)',
    pot_id: pot.potId,
    ...(pot.ballot.kind === 'approval' ? { min_length: String(pot.ballot.minPicks), max_length: String(pot.ballot.maxPicks) } : {}),
    ...(pot.ballot.kind === 'cumulative' ? { max_sum_points: String(pot.ballot.points) } : {}),
  };
  return {
    selected: funded !== undefined,
    election: {
      ...election,
      meta,
      projects: election.projects.map((p) => ({
        ...p,
        extra: { name: title(p.id), ...(funded ? { selected: funded.has(p.id) ? '1' : '0' } : {}) },
      })),
      ballots: election.ballots.map((b, i) => {
        const time = fold.ballotTimes.get(counted[i].streamName);
        return { ...b, voterId: counted[i].voter, extra: { time: time ? (may.exactTimes ? time : toHour(time)) : '' } };
      }),
    },
  };
}

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let chunk: string[] = [];
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length === 1000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end(chunk.length > 0 ? `${chunk.join('\n')}\n` : '');
  await once(out, 'finish');
}

const safe = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_');
