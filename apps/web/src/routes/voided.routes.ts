import { FUND } from '../graphql/operations';
import { VOIDED_BALLOTS } from '../graphql/council.operations';
import { dataOr404, PageRefused, type PageRoute, type WebApp } from '../web-app';
import { sortPots } from './fund-words';

/** The public, anonymous log of voided ballots of a fund: per pot, the count and each void's public reason and time. */
export const voidedRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/funds/:fundId/voided',
    access: 'public',
    handle: async (ctx) => {
      const { fund } = dataOr404(await ctx.gql(FUND, { id: ctx.params.fundId }));
      if (!fund) throw new PageRefused(404);
      const pots = [];
      for (const pot of sortPots(fund.pots)) {
        const { voidedBallots } = dataOr404(await ctx.gql(VOIDED_BALLOTS, { potId: pot.id }));
        pots.push({
          pot,
          count: ctx.f.number(voidedBallots.count),
          countValue: voidedBallots.count,
          ballots: voidedBallots.ballots.map((b) => ({ reason: b.reason, when: ctx.f.dateTime(b.voidedAt, fund.timeZone) })),
        });
      }
      return { view: 'pages/council/voided.njk', model: { fund, pots, backLink: `/funds/${encodeURIComponent(fund.id)}/proposals` } };
    },
  },
];
