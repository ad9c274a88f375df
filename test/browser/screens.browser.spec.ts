import type { Browser } from 'playwright-core';
import { startWeb } from '../web/web-client';
import { buildWebWorld, type WebWorld } from '../web/web-world';
import { launchChromium, newContext, screenshot, signIn } from './browser';

let api: Awaited<ReturnType<typeof startWeb>>;
let world: WebWorld;
let browser: Browser;

beforeAll(async () => {
  [api, browser] = await Promise.all([startWeb(), launchChromium()]);
  world = await buildWebWorld(api);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

/** Every main page a resident meets, by a name for its screenshot. */
function mainPages(w: WebWorld): Record<string, string> {
  const vote = (f: string, p: string) => `/funds/${f}/pots/${p}/vote`;
  return {
    home: '/',
    proposals: `/funds/${w.voting.fundId}/proposals`,
    proposal: `/proposals/${w.voting.knapsack['Library late opening']}`,
    'sign-in': '/sign-in',
    propose: `/funds/${w.proposing.fundId}/propose`,
    'vote-knapsack': vote(w.voting.fundId, w.voting.knapsackPot),
    'vote-approval': vote(w.voting.fundId, w.voting.approvalPot),
    'vote-cumulative': vote(w.points.fundId, w.points.pot),
    receipt: '/receipt',
    results: `/funds/${w.published.fundId}/pots/${w.published.pot}/results`,
    'results-pending': `/funds/${w.voting.fundId}/pots/${w.voting.approvalPot}/results`,
    delivery: `/funds/${w.published.fundId}/delivery`,
    accessibility: '/accessibility',
    privacy: '/privacy',
    cookies: '/cookies',
    'not-found': '/no-such-page',
  };
}

describe('screenshots of every main page', () => {
  it.each([
    ['en', 1280],
    ['bn', 1280],
    ['en', 360],
    ['bn', 360],
  ] as const)('in %s at %i px', async (lang, width) => {
    const context = await newContext(browser, { lang, width });
    const page = await context.newPage();
    await signIn(page, api.url, world.residents[0]);
    for (const [name, path] of Object.entries(mainPages(world))) {
      await page.goto(api.url + path);
      await screenshot(page, `${name}-${lang}-${width}`);
    }
    await context.close();
  });
});
