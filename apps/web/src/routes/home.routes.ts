import { FUNDS } from '../graphql/operations';
import { dataOr404, type PageRoute, type WebApp } from '../web-app';
import { ballotWords, fundStatus, RESULTS_PHASES, sortPots } from './fund-words';

/** The order of funds on the home page, by phase. */
const HOME_ORDER = ['voting_open', 'proposals_open', 'review', 'voting_closed', 'results_published', 'delivery', 'closed'];

export const homeRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/',
    access: 'public',
    handle: async (ctx) => {
      const { funds } = dataOr404(await ctx.gql(FUNDS, {}));
      const shown = funds
        .filter((f) => f.phase !== 'draft')
        // What a resident can do now comes first: vote, then propose; then what is under way, then the past.
        .sort((a, b) => HOME_ORDER.indexOf(a.phase) - HOME_ORDER.indexOf(b.phase))
        .map((fund) => ({
          fund,
          status: fundStatus(ctx, fund),
          canPropose: fund.phase === 'proposals_open',
          canVote: fund.phase === 'voting_open',
          hasResults: RESULTS_PHASES.has(fund.phase),
          pots: sortPots(fund.pots).map((pot) => ({ pot, ballot: ballotWords(ctx, pot) })),
        }));
      return { view: 'pages/home.njk', model: { funds: shown } };
    },
  },
];
