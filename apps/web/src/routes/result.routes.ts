import { DELIVERY, FUND, PROPOSALS, RESULTS, TALLY } from '../graphql/operations';
import { dataOr404, PageRefused, type PageContext, type PageRoute, type WebApp } from '../web-app';
import { explainResults } from './explain';
import { numberText } from './resident-words';
import { RESULTS_PHASES, sortPots } from './fund-words';
import { certificateCheckModel } from './certificate-check';

export const resultRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/funds/:fundId/pots/:potId/results',
    access: 'public',
    handle: async (ctx) => {
      const { fund, results } = dataOr404(await ctx.gql(RESULTS, { fundId: ctx.params.fundId, potId: ctx.params.potId }));
      const pot = fund?.pots.find((p) => p.id === ctx.params.potId);
      if (!fund || !pot) throw new PageRefused(404);
      // Before publication nothing of the tally is read, so nothing of it can show.
      if (results.status !== 'published') return { view: 'pages/results-pending.njk', model: { fund, pot, backLink: '/' } };
      const detail = await resultDetail(ctx, fund.id, pot.id);
      const rows = explainResults(
        ctx,
        pot,
        results,
        detail.tally,
        detail.proposals.edges.map((e) => e.node),
      );
      const maxVotes = Math.max(1, ...rows.map((r) => r.votes));
      const maxCost = Math.max(1, ...rows.map((r) => r.cost));
      const chart = rows.map((r) => ({
        ...r,
        // Bar lengths in steps of 5% (CSS classes: the page's CSP allows no inline style).
        votesStep: Math.max(1, Math.round((r.votes / maxVotes) * 20)) * 5,
        costStep: Math.max(1, Math.round((r.cost / maxCost) * 20)) * 5,
        votesText: ctx.f.number(r.votes),
        costText: ctx.f.money(r.cost),
      }));
      return {
        view: 'pages/results.njk',
        model: {
          fund,
          pot,
          rows: chart,
          funded: rows.filter((r) => r.funded),
          ballots: ctx.f.number(detail.tally.ballots),
          spent: ctx.f.money(rows.filter((r) => r.funded).reduce((s, r) => s + r.cost, 0)),
          budget: ctx.f.money(pot.budget),
          votesLabel: ctx.t(pot.ballot.kind === 'cumulative' ? 'results.points' : 'results.votes'),
          votesHeader: ctx.t(pot.ballot.kind === 'cumulative' ? 'results.pointsHeader' : 'results.votesHeader'),
          ruleName: ctx.t(`rule.${pot.rule}`),
          check: await certificateCheckModel(ctx, fund.id, pot.id, rows),
          backLink: '/',
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/funds/:fundId/delivery',
    access: 'public',
    handle: async (ctx) => {
      const { fund } = dataOr404(await ctx.gql(FUND, { id: ctx.params.fundId }));
      if (!fund) throw new PageRefused(404);
      const pots = [];
      if (RESULTS_PHASES.has(fund.phase)) {
        for (const pot of sortPots(fund.pots)) {
          const r = await ctx.gql(RESULTS, { fundId: fund.id, potId: pot.id });
          if (!r.ok || r.data.results.status !== 'published') continue;
          const detail = await resultDetail(ctx, fund.id, pot.id);
          const titles = new Map(detail.proposals.edges.map((e) => [e.node.id, e.node]));
          const projects = [];
          for (const line of r.data.results.lines.filter((l) => l.funded)) {
            const d = await ctx.gql(DELIVERY, { proposalId: line.proposalId });
            const official = Number(titles.get(line.proposalId)?.officialCost ?? line.amount);
            const spent = d.ok ? Number(d.data.delivery.totalSpent) : 0;
            projects.push({
              id: line.proposalId,
              title: titles.get(line.proposalId)?.title ?? '',
              numberText: numberText(ctx, titles.get(line.proposalId)?.number),
              official: ctx.f.money(official),
              spent: ctx.f.money(spent),
              spentValue: spent,
              officialValue: official,
              over: spent > official,
              milestones: d.ok ? d.data.delivery.milestones.map((m) => ({ ...m, statusName: ctx.t(`milestone.${m.status}`) })) : [],
            });
          }
          pots.push({ pot, projects });
        }
      }
      return { view: 'pages/delivery.njk', model: { fund, pots, backLink: '/' } };
    },
  },
];

/** The published tally and the pot's proposals (two operations: the API's cost limit counts every field). */
async function resultDetail(ctx: PageContext, fundId: string, potId: string) {
  const [tally, list] = await Promise.all([ctx.gql(TALLY, { potId }), ctx.gql(PROPOSALS, { fundId, potId })]);
  return { tally: dataOr404(tally).tally, proposals: dataOr404(list).proposals };
}
