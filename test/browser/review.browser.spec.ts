import type { Browser, Page } from 'playwright-core';
import { startWeb } from '../web/web-client';
import { reviewFund, type ReviewWorld } from '../web/review-world';
import { buildWebWorld, type WebWorld } from '../web/web-world';
import { axe as axeOf, type Incomplete, reportIncomplete } from './axe';
import { launchChromium, newContext, screenshot, signInAsStaff } from './browser';

let api: Awaited<ReturnType<typeof startWeb>>;
let world: WebWorld;
let review: ReviewWorld;
let browser: Browser;
const incomplete: Incomplete = {};

beforeAll(async () => {
  [api, browser] = await Promise.all([startWeb(), launchChromium()]);
  world = await buildWebWorld(api, 4);
  review = await reviewFund(api, world);
}, 120_000);
afterAll(async () => {
  reportIncomplete('axe-incomplete-review.json', incomplete);
  await browser?.close();
  await api?.stop();
});

const axe = (page: Page, name: string) => axeOf(page, name, incomplete);
const queue = () => `${api.url}/review/funds/${review.fundId}/pots/${review.pot}`;
const tally = () => `${api.url}/tally/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}`;

describe('a reviewer in the browser', () => {
  it('accepts, rejects and merges proposals of a pot', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInAsStaff(page, api.url, 'reviewer');
    await page.goto(`${api.url}/staff`);
    await page.getByRole('link', { name: 'Review proposals' }).click();
    await page.getByRole('link', { name: 'Mile End review' }).click();

    await page.getByLabel('Official cost of Pond dipping platform').fill('6,250');
    await page.locator(`form[action$="${review.ids['Pond dipping platform']}/accept"] button`).click();
    await page.locator('.govuk-notification-banner--success').waitFor();
    await page.getByRole('rowheader', { name: /^\d+ · Pond dipping platform$/ }).waitFor();

    await page.getByLabel('Reason for rejecting Ice rink on the roof').selectOption('outsideRemit');
    await page.locator(`form[action$="${review.ids['Ice rink on the roof']}/reject"] button`).click();
    await page.getByRole('cell', { name: /It is not something the council can fund/ }).waitFor();

    await page.getByLabel('Merge New benches with').selectOption(review.ids['Benches for the park']);
    await page.locator(`form[action$="/merge"]:has(#merge-${review.ids['New benches']}) button`).click();
    await page.getByRole('heading', { name: 'Merge two proposals' }).waitFor();
    await page.getByText('Benches for the park, in detail.').waitFor();
    await page.getByLabel('New benches').check();
    await page.getByRole('button', { name: 'Merge the proposals' }).click();
    await page.getByText('merged into New benches').waitFor();
    await context.close();
  });
});

describe.each(['en', 'bn'] as const)('the reviewers’ pages in %s', (lang) => {
  it('have no WCAG 2.2 AA violation found by axe, at 1280 and 360 px', async () => {
    for (const width of [1280, 360]) {
      const context = await newContext(browser, { lang, width });
      const page = await context.newPage();
      await signInAsStaff(page, api.url, 'councillor');
      const pages: Record<string, () => Promise<unknown>> = {
        'review-funds': () => page.goto(`${api.url}/review`),
        'review-queue': () => page.goto(queue()),
        'review-queue-errors': async () => {
          await page.goto(queue());
          const form = page.locator('form[action$="/accept"]').first();
          await form.locator('input[name=officialCost]').fill('lots');
          await form.locator('button').click();
          await page.locator('.govuk-error-summary').waitFor();
        },
        'review-merge': () => page.goto(`${queue()}/merge?a=${review.ids['New benches']}&b=${review.ids['Pond dipping platform']}`),
        'tally-funds': () => page.goto(`${api.url}/tally`),
        tally: () => page.goto(tally()),
        'paper-funds': () => page.goto(`${api.url}/paper`),
        'paper-batches': () => page.goto(`${api.url}/paper/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}`),
      };
      for (const [name, open] of Object.entries(pages)) {
        await open();
        await axe(page, `${name}-${lang}-${width}`);
        expect(await page.content()).not.toMatch(/\[review\.[\w.]+\]/);
        await screenshot(page, `review-${name}-${lang}-${width}`);
      }
      await context.close();
    }
  });
});
