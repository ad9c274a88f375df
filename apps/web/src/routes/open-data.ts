import { FUNDS, PROPOSALS, TALLY } from '../graphql/operations';
import { FUND_DELIVERY } from '../graphql/council.operations';
import { OPEN_RESULTS } from '../graphql/transparency.operations';
import { dataOr404, type PageContext } from '../web-app';
import { RESULTS_PHASES, sortPots } from './fund-words';

export const OPEN_DATA_FORMAT = 'civic-ledger/open-data/1';
export const OPEN_DATA_LICENCE = {
  name: 'Open Government Licence v3.0',
  url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
};

type Value = string | number | boolean | null;
type Row = Record<string, Value>;

/**
 * The datasets of the open data feed and their fields, in order: the CSV columns and the JSON
 * keys. Stable: a field is added at the end, never renamed or removed (README, "Open data").
 * Money in pence, as integers. Nothing of a pot's allocation or tally before its results are
 * published: such a pot has no rows.
 */
export const DATASETS = {
  results: [
    'fund_id',
    'fund_name',
    'pot_id',
    'pot_name',
    'ward',
    'rule',
    'budget_pence',
    'total_cost_pence',
    'ballot_count',
    'proposal_id',
    'proposal_number',
    'proposal_title',
    'funded',
    'amount_pence',
  ],
  proposals: [
    'fund_id',
    'pot_id',
    'proposal_id',
    'proposal_number',
    'title',
    'summary',
    'category',
    'status',
    'estimated_cost_pence',
    'official_cost_pence',
  ],
  tallies: ['fund_id', 'pot_id', 'proposal_id', 'proposal_number', 'supporters', 'points', 'pot_ballots'],
  delivery: [
    'fund_id',
    'pot_id',
    'proposal_id',
    'proposal_number',
    'title',
    'official_cost_pence',
    'total_spent_pence',
    'overspent',
    'milestones_done',
    'milestones_total',
  ],
} as const;
export type Dataset = keyof typeof DATASETS;
export const isDataset = (name: string): name is Dataset => Object.hasOwn(DATASETS, name);

const pence = (amount: string | null | undefined): number | null => (amount == null ? null : Number(amount));

/** The rows of one dataset over every fund the public may see, funds and pots in the site's order. */
export async function openDataRows(ctx: PageContext, dataset: Dataset): Promise<Row[]> {
  const { funds } = dataOr404(await ctx.gql(FUNDS, {}));
  const rows: Row[] = [];
  for (const fund of funds) {
    const published = RESULTS_PHASES.has(fund.phase);
    if (dataset === 'delivery') {
      if (!published) continue;
      const { fundDelivery } = dataOr404(await ctx.gql(FUND_DELIVERY, { fundId: fund.id }));
      for (const d of fundDelivery)
        rows.push({
          fund_id: fund.id,
          pot_id: d.potId,
          proposal_id: d.proposalId,
          proposal_number: d.number,
          title: d.title,
          official_cost_pence: pence(d.officialCost),
          total_spent_pence: pence(d.totalSpent),
          overspent: d.overspent,
          milestones_done: d.milestones.filter((m) => m.status === 'done').length,
          milestones_total: d.milestones.length,
        });
      continue;
    }
    for (const pot of sortPots(fund.pots)) {
      const proposals = dataOr404(await ctx.gql(PROPOSALS, { fundId: fund.id, potId: pot.id, order: 'number' })).proposals.edges.map(
        (e) => e.node,
      );
      const byId = new Map(proposals.map((p) => [p.id, p]));
      if (dataset === 'proposals') {
        for (const p of proposals)
          rows.push({
            fund_id: fund.id,
            pot_id: pot.id,
            proposal_id: p.id,
            proposal_number: p.number,
            title: p.title,
            summary: p.summary,
            category: p.category,
            status: p.status,
            estimated_cost_pence: pence(p.estimatedCost),
            official_cost_pence: pence(p.officialCost),
          });
        continue;
      }
      if (!published) continue;
      const { results } = dataOr404(await ctx.gql(OPEN_RESULTS, { potId: pot.id }));
      // The embargo: a pot's lines and tally only once its own allocation is published.
      if (results.status !== 'published') continue;
      if (dataset === 'results') {
        for (const line of results.lines)
          rows.push({
            fund_id: fund.id,
            fund_name: fund.name,
            pot_id: pot.id,
            pot_name: pot.name,
            ward: pot.ward,
            rule: results.rule,
            budget_pence: pence(results.budget),
            total_cost_pence: pence(results.totalCost),
            ballot_count: results.ballotCount,
            proposal_id: line.proposalId,
            proposal_number: byId.get(line.proposalId)?.number ?? null,
            proposal_title: byId.get(line.proposalId)?.title ?? null,
            funded: line.funded,
            amount_pence: pence(line.amount),
          });
      } else {
        const { tally } = dataOr404(await ctx.gql(TALLY, { potId: pot.id }));
        for (const line of tally.lines)
          rows.push({
            fund_id: fund.id,
            pot_id: pot.id,
            proposal_id: line.proposalId,
            proposal_number: byId.get(line.proposalId)?.number ?? null,
            supporters: line.supporters,
            points: line.points,
            pot_ballots: tally.ballots,
          });
      }
    }
  }
  return rows;
}

/** The JSON file of a dataset: what it is, its licence, its fields, its records. */
export function openDataJson(dataset: Dataset, rows: readonly Row[], source: string): string {
  const fields = DATASETS[dataset];
  const records = rows.map((r) => Object.fromEntries(fields.map((f) => [f, r[f] ?? null])));
  return `${JSON.stringify({ format: OPEN_DATA_FORMAT, dataset, licence: OPEN_DATA_LICENCE, source, fields, records }, null, 1)}\n`;
}

/** The CSV file of a dataset (RFC 4180): a header of its fields, one line a record; empty for null. */
export function openDataCsv(dataset: Dataset, rows: readonly Row[]): string {
  const fields = DATASETS[dataset];
  const cell = (v: Value | undefined) => {
    const text = v == null ? '' : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [fields.join(','), ...rows.map((r) => fields.map((f) => cell(r[f])).join(','))].join('\r\n') + '\r\n';
}
