import type { Browser, Page } from 'playwright-core';
import { isoToLocal } from '../../apps/web/src/routes/zoned-time';
import { ok, votingFund, type VotingFund } from '../support/voting-fund';
import { startWeb } from '../web/web-client';
import { axe as axeOf, type Incomplete, reportIncomplete } from './axe';
import { launchChromium, newContext, screenshot, signInAsStaff } from './browser';

/**
 * An officer enters a paper batch with a discrepancy (five sheets counted, four entered, one of
 * them refused for a number no project has) and reads it in the reconciliation, corrects an entry
 * with a reason, and voids an online ballot found by its receipt; the public log shows the void.
 * The journey runs with JavaScript off; axe then checks every page of it in English and Bengali.
 */
let api: Awaited<ReturnType<typeof startWeb>>;
let browser: Browser;
let f: VotingFund;
let numbers: number[];
let timeZone: string;
const receipts: string[] = [];
const incomplete: Incomplete = {};
const [A, B, C, D, E, F] = ['TH-520001', 'TH-520002', 'TH-520003', 'TH-520004', 'TH-520005', 'TH-520006'];

beforeAll(async () => {
  [api, browser] = await Promise.all([startWeb(), launchChromium()]);
  f = await votingFund(api, [A, B, C, D, E, F]);
  const data = ok(
    await api.gql(
      `query($f: ID!, $p: ID!) { fund(id: $f) { timeZone } proposals(fundId: $f, potId: $p, first: 10, order: number) { edges { node { id number } } } }`,
      { f: f.fundId, p: f.potId },
    ),
  );
  timeZone = data.fund.timeZone;
  const byId = new Map(data.proposals.edges.map((e: { node: { id: string; number: number } }) => [e.node.id, e.node.number]));
  numbers = f.proposals.map((id) => byId.get(id) as number);
  for (const voter of [E, F]) {
    const cast = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { code } }`;
    receipts.push(
      ok(await api.gql(cast, { f: f.fundId, p: f.potId, c: { proposalIds: [f.proposals[0]] } }, f.tokens[voter])).castBallot.code,
    );
  }
}, 120_000);
afterAll(async () => {
  reportIncomplete('axe-incomplete-paper.json', incomplete);
  await browser?.close();
  await api?.stop();
});

const fewMinutesAgo = () => isoToLocal(new Date(Date.now() - 5 * 60_000).toISOString(), timeZone);
const potUrl = () => `${api.url}/paper/funds/${f.fundId}/pots/${f.potId}`;
let batchUrl = '';

async function fillHeader(page: Page, counted: string) {
  await page.fill('#officer', 'Officer Rahman');
  await page.fill('#location', 'Idea Store Whitechapel');
  await page.fill('#collectedAt', fewMinutesAgo());
  await page.fill('#scanReference', 'SCAN-2027-014');
  await page.fill('#sheetsCounted', counted);
  await page.click('button[name=action][value=header]');
  await page.locator('#reference').waitFor();
}

async function addSheet(page: Page, reference: string, marks: string) {
  await page.fill('#reference', reference);
  await page.fill('#marks', marks);
  await page.click('button[name=action][value=add]');
  await page.locator('.govuk-notification-banner--success').waitFor();
}

const rowText = (page: Page, key: string) => page.locator('.govuk-summary-list__row', { hasText: key }).locator('dd').first().innerText();

describe('an officer with JavaScript off', () => {
  it('enters a batch with a discrepancy, reads the reconciliation, corrects an entry and voids a ballot found by its receipt', async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await signInAsStaff(page, api.url, 'reviewer');
    await page.goto(`${api.url}/staff`);
    await page.getByRole('link', { name: 'Paper ballot batches' }).click();
    await page.getByRole('link', { name: 'Mile End', exact: true }).click();
    await page.getByRole('link', { name: 'Enter a new paper batch' }).click();

    await fillHeader(page, '5');
    await addSheet(page, A, `${numbers[0]}`);
    await addSheet(page, B, `${numbers[0]}, ${numbers[1]}`);
    await addSheet(page, C, '999');
    await addSheet(page, D, `${numbers[1]}`);
    await page.getByRole('button', { name: 'Record the batch' }).click();

    await page.getByRole('heading', { name: 'Paper batch from Idea Store Whitechapel' }).waitFor();
    batchUrl = page.url().replace(/\?.*$/, '');
    expect(await rowText(page, 'Sheets counted')).toBe('5');
    expect(await rowText(page, 'Sheets entered')).toBe('4');
    expect(await rowText(page, 'Accepted')).toBe('3');
    expect(await rowText(page, 'Refused')).toBe('1');
    await page.getByText('Counted but not entered: 1.').waitFor();
    expect(await page.locator('#entry-3').innerText()).toMatch(/Refused\s+No accepted project of this area has number 999/);
    expect(await page.locator('#entry-1').innerText()).toMatch(/Accepted/);

    await page.getByRole('link', { name: 'Correct sheet 2' }).click();
    await page.fill('#reference', B);
    await page.fill('#marks', `${numbers[2]}`);
    await page.fill('#reason', 'Misread a 3 as a 1 on the form');
    await page.getByRole('button', { name: 'Record the correction' }).click();
    await page.getByText('The sheet is corrected.').waitFor();
    expect(await page.locator('#entry-2').innerText()).toMatch(/Corrected\s+Misread a 3 as a 1 on the form/);

    await page.goto(`${api.url}/staff`);
    await page.getByRole('link', { name: 'Void a ballot' }).click();
    await page.fill('#receipt', receipts[0]);
    await page.getByRole('button', { name: 'Find the ballot' }).click();
    await page.getByRole('heading', { name: 'Check before you void this ballot' }).waitFor();
    expect(await rowText(page, 'Area')).toBe('Mile End');
    await page.fill('#reason', 'Cast under pressure (case 12)');
    await page.getByRole('button', { name: 'Void this ballot' }).click();
    await page.getByRole('heading', { name: 'Ballot voided' }).waitFor();
    await page.getByRole('link', { name: 'Voided ballots of Mile End Fund' }).click();
    await page.getByText('Ballots voided: 1').waitFor();
    await page.getByRole('cell', { name: 'Cast under pressure (case 12)' }).waitFor();
    await context.close();
  });
});

// A phone's width in Bengali, whose words run longest; English at a desktop's (CI time is short).
describe.each([
  ['en', 1280],
  ['bn', 1280],
  ['bn', 360],
] as const)('the paper and void pages in %s at %d px', (lang, width) => {
  it('have no WCAG 2.2 AA violation found by axe', async () => {
    expect(batchUrl).not.toBe('');
    const submit = (page: Page, selector = 'main button[type=submit], main button:not([type])') => page.locator(selector).first().click();
    const context = await newContext(browser, { lang, width });
    const page = await context.newPage();
    await signInAsStaff(page, api.url, 'councillor');
    const pages: Record<string, () => Promise<unknown>> = {
      batches: () => page.goto(potUrl()),
      'batch-new': () => page.goto(`${potUrl()}/new`),
      'batch-new-errors': async () => {
        await page.goto(`${potUrl()}/new`);
        await submit(page);
        await page.locator('.govuk-error-summary').waitFor();
      },
      sheets: async () => {
        await page.goto(`${potUrl()}/new`);
        await fillHeader(page, '2');
        await addSheet(page, A, `${numbers[0]}`);
      },
      'sheets-errors': async () => {
        await page.fill('#marks', 'three');
        await page.click('button[name=action][value=add]');
        await page.locator('.govuk-error-summary').waitFor();
      },
      batch: () => page.goto(batchUrl),
      'batch-correct': () => page.goto(`${batchUrl}/correct`),
      'batch-correct-errors': async () => {
        await submit(page);
        await page.locator('.govuk-error-summary').waitFor();
      },
      'entry-correct': () => page.goto(`${batchUrl}/entries/1/correct`),
      'entry-correct-errors': async () => {
        await page.fill('#marks', '999');
        await submit(page);
        await page.locator('.govuk-error-summary').waitFor();
      },
      'void-find': () => page.goto(`${api.url}/void`),
      'void-find-errors': async () => {
        await page.fill('#receipt', 'ab'.repeat(32));
        await submit(page);
        await page.locator('.govuk-error-summary').waitFor();
      },
      'void-confirm': async () => {
        await page.goto(`${api.url}/void`);
        await page.fill('#receipt', receipts[1]);
        await submit(page);
        await page.locator('#reason').waitFor();
      },
      'void-done': () => page.goto(`${api.url}/void/done?fund=${f.fundId}&pot=${f.potId}`),
      'voided-log': () => page.goto(`${api.url}/funds/${f.fundId}/voided`),
    };
    for (const [name, open] of Object.entries(pages)) {
      await open();
      expect([name, await axeOf(page, `paper-${name}-${lang}-${width}`, incomplete)]).toEqual([name, []]);
      expect(await page.content()).not.toMatch(/\[(paper|review|errors)\.[\w.]+\]/);
      await screenshot(page, `paper-${name}-${lang}-${width}`);
    }
    await context.close();
  });
});
