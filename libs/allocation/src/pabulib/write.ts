import type { Election, VoteType } from '../election/election';
import { Rational } from '../rational/rational';
import { quoteField } from './csv';
import { PABULIB_VOTE_TYPES } from './parse';

/** META keys pabulib requires, in the order files usually list them. */
const META_ORDER = [
  'description',
  'country',
  'unit',
  'instance',
  'num_projects',
  'num_votes',
  'budget',
  'vote_type',
  'rule',
  'date_begin',
  'date_end',
];

const COMPUTED = ['num_projects', 'num_votes', 'budget', 'vote_type'];

/** What a pabulib vote_type is written as, for each platform vote type (knapsack ballots are approval sets). */
const PABULIB_NAME: Record<VoteType, string> = {
  approval: 'approval',
  knapsack: 'approval',
  cumulative: 'cumulative',
  ordinal: 'ordinal',
};

/**
 * Writes an election as a .pb file, line by line (join with `\n`), so researchers can
 * re-analyse a pot with their own tools. META keeps the election's own keys in their order;
 * `budget`, `vote_type`, `num_projects` and `num_votes` are written from the election itself
 * unless the META value already says the same. `meta` adds or replaces keys (e.g. `description`).
 */
export function* writePabulib(election: Election, meta: Readonly<Record<string, string>> = {}): Generator<string> {
  const m: Record<string, string> = {};
  // A file built in code gets the usual key order; an imported one keeps its own.
  if (Object.keys(election.meta).length === 0) for (const k of META_ORDER) if (k in meta || COMPUTED.includes(k)) m[k] = '';
  Object.assign(m, election.meta, meta);
  setIfDifferent(m, 'num_projects', String(election.projects.length));
  setIfDifferent(m, 'num_votes', String(election.ballots.length));
  setIfDifferent(m, 'budget', election.budget.toDecimalString());
  const vt = m.vote_type;
  if (vt === undefined || PABULIB_VOTE_TYPES[vt.toLowerCase()] !== canonical(election.voteType)) {
    m.vote_type = PABULIB_NAME[election.voteType];
  }
  if (election.voteType === 'knapsack' && !('max_sum_cost' in m)) m.max_sum_cost = election.budget.toDecimalString();

  yield 'META';
  yield 'key;value';
  for (const [k, v] of Object.entries(m)) yield row([k, v]);

  yield 'PROJECTS';
  const pcols = extraColumns(election.projects.map((p) => p.extra));
  yield row(['project_id', 'cost', ...pcols]);
  for (const p of election.projects) yield row([p.id, p.cost.toDecimalString(), ...pcols.map((c) => p.extra?.[c] ?? '')]);

  yield 'VOTES';
  const cumulative = election.voteType === 'cumulative';
  const vcols = extraColumns(election.ballots.map((b) => b.extra)).filter((c) => !(cumulative && c === 'points'));
  yield row(['voter_id', 'vote', ...(cumulative ? ['points'] : []), ...vcols]);
  let i = 0;
  for (const b of election.ballots) {
    i++;
    const points = cumulative ? [(b.points ?? []).map((p) => p.toDecimalString()).join(',')] : [];
    yield row([b.voterId ?? String(i), b.items.join(','), ...points, ...vcols.map((c) => b.extra?.[c] ?? '')]);
  }
}

/** The whole file as one string (small elections; use {@link writePabulib} to stream). */
export function toPabulib(election: Election, meta?: Readonly<Record<string, string>>): string {
  return `${[...writePabulib(election, meta)].join('\n')}\n`;
}

function canonical(v: VoteType): VoteType {
  return v === 'knapsack' ? 'approval' : v;
}

function setIfDifferent(m: Record<string, string>, key: string, value: string): void {
  const current = m[key] === undefined ? undefined : Rational.parse(m[key].replace(',', '.'));
  if (!current || !current.eq(Rational.from(value))) m[key] = value;
}

function extraColumns(extras: readonly (Readonly<Record<string, string>> | undefined)[]): string[] {
  const cols = new Set<string>();
  for (const e of extras) if (e) for (const k of Object.keys(e)) cols.add(k);
  return [...cols];
}

function row(cells: readonly string[]): string {
  return cells.map(quoteField).join(';');
}
