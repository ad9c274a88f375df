import type { WebWorld } from '../web/web-world';

/** Every main page a resident meets, by a name (for its screenshot and axe report). */
export function mainPages(w: WebWorld): Record<string, string> {
  const vote = (f: string, p: string) => `/funds/${f}/pots/${p}/vote`;
  return {
    home: '/',
    proposals: `/funds/${w.voting.fundId}/proposals`,
    proposal: `/proposals/${w.voting.knapsack['Library late opening']}`,
    'sign-in': '/sign-in',
    'staff-sign-in': '/staff/sign-in',
    propose: `/funds/${w.proposing.fundId}/propose`,
    'vote-knapsack': vote(w.voting.fundId, w.voting.knapsackPot),
    'vote-approval': vote(w.voting.fundId, w.voting.approvalPot),
    'vote-cumulative': vote(w.points.fundId, w.points.pot),
    receipt: '/receipt',
    notifications: '/notifications',
    results: `/funds/${w.published.fundId}/pots/${w.published.pot}/results`,
    'results-pending': `/funds/${w.voting.fundId}/pots/${w.voting.approvalPot}/results`,
    delivery: `/funds/${w.published.fundId}/delivery`,
    accessibility: '/accessibility',
    privacy: '/privacy',
    cookies: '/cookies',
    'not-found': '/no-such-page',
  };
}
