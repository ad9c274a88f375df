import type { Browser, Page } from 'playwright-core';
import { startWeb } from '../web/web-client';
import { buildWebWorld, type WebWorld } from '../web/web-world';
import { inPage, launchChromium, newContext, screenshot, signIn } from './browser';

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

const myBallot = async (reference: string, fundId: string, potId: string) =>
  (
    await api.gql(
      `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { status proposalIds points { proposalId points } receipt { code hash } } }`,
      { f: fundId, p: potId },
      await api.signIn('resident', reference),
    )
  ).data.myBallot;
const tally = async (potId: string) =>
  (await api.gql(`query($p: ID!) { tally(potId: $p) { ballots lines { proposalId supporters points } } }`, { p: potId }, world.reviewer))
    .data.tally;

/** A field by its label; a proposal's label starts with its number ("No. 3 Play street"). */
const label = (page: Page, text: string) =>
  page.getByLabel(new RegExp(`^\\s*(No\\. \\d+\\s+)?${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`));
const meter = (page: Page) => page.locator('[data-meter]').innerText();

/** Review and send the ballot on the page; returns the receipt code of the confirmation page. */
async function sendBallot(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Check your vote before sending it' }).waitFor();
  await page.getByRole('button', { name: 'Send my vote' }).click();
  await page.getByRole('heading', { name: 'Vote recorded' }).waitFor();
  return (await page.locator('#receipt-code').innerText()).trim();
}

describe.each([true, false])('a resident’s journey in a real browser (JavaScript %s)', (javaScript) => {
  const who = javaScript ? 6 : 7;

  it('signs in, proposes, votes on each ballot type, changes the vote, sees the receipt and checks it', async () => {
    const reference = world.residents[who];
    const context = await newContext(browser, { javaScript });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signIn(page, api.url, reference);
    await page.getByText(`Signed in as ${reference}`).waitFor();

    // Propose, with hostile text in the title: shown as typed, never run.
    const title = `<img src=x onerror=alert(1)> Benches {{ 7*7 }} ${javaScript ? 'js' : 'plain'}`;
    await page.goto(`${api.url}/funds/${world.proposing.fundId}/propose`);
    await label(page, 'Name of the project').fill(title);
    await label(page, 'Summary in one sentence').fill('Benches along the canal.');
    await label(page, 'Describe the project').fill('Six benches.\n<script>alert(2)</script>');
    await label(page, 'How much do you think it would cost?').fill('£5,000.50');
    await page.getByLabel('Category').selectOption('parks');
    await page.getByLabel('Mile End 2027').check();
    await page.getByRole('button', { name: 'Send proposal' }).click();
    await page.getByText('Your proposal has been sent').waitFor();
    expect(await page.locator('h1').innerText()).toBe(title);
    expect(await page.getByText('£5,000.50').count()).toBe(1);

    // Knapsack: the meter shows what is left and marks what no longer fits.
    const k = world.voting.knapsack;
    await page.goto(`${api.url}/funds/${world.voting.fundId}/pots/${world.voting.knapsackPot}/vote`);
    await label(page, 'Library late opening').check();
    await label(page, 'Youth football league').check();
    if (javaScript) {
      expect(await meter(page)).toContain('£45,000 of £50,000 chosen');
      expect(await meter(page)).toContain('£5,000 left to spend');
      const cleanAir = await label(page, 'Clean air monitors').getAttribute('id');
      expect(await page.locator(`#${cleanAir}-item-hint [data-nofit]`).count()).toBe(1);
      await label(page, 'Clean air monitors').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      // Refused in the browser: nothing was sent, the summary has the focus.
      await page.locator('#client-error-summary').waitFor();
      expect(await inPage<string>(page, 'document.activeElement?.id')).toBe('client-error-summary');
      expect(await page.locator('#client-error-summary').innerText()).toContain('£10,000 over the budget of £50,000');
    } else {
      await label(page, 'Clean air monitors').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      // Refused by the server, naming the choice that went over (the last of them in this
      // resident's own order of the ballot) and keeping them all ticked.
      expect(await page.locator('.govuk-error-summary').innerText()).toMatch(
        /‘(Clean air monitors|Library late opening|Youth football league)’ takes your choices £10,000 over the budget/,
      );
      for (const title of ['Library late opening', 'Youth football league', 'Clean air monitors'])
        expect(await label(page, title).isChecked()).toBe(true);
    }
    expect(await myBallot(reference, world.voting.fundId, world.voting.knapsackPot)).toBeNull();
    await label(page, 'Youth football league').uncheck();
    await sendBallot(page);
    expect((await myBallot(reference, world.voting.fundId, world.voting.knapsackPot)).proposalIds.sort()).toEqual(
      [k['Library late opening'], k['Clean air monitors']].sort(),
    );

    // Approval, with its counter.
    const a = world.voting.approval;
    const approvalUrl = `${api.url}/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/vote`;
    await page.goto(approvalUrl);
    await label(page, 'Play street').check();
    await label(page, 'Bench by the pond').check();
    if (javaScript) expect(await meter(page)).toContain('2 of at most 2 chosen');
    const firstCode = await sendBallot(page);
    await screenshot(page, `journey-confirmation-${javaScript ? 'js' : 'nojs'}`);

    // Cumulative, with the points left.
    const p = world.points.proposals;
    await page.goto(`${api.url}/funds/${world.points.fundId}/pots/${world.points.pot}/vote`);
    await label(page, 'Homework club').fill('6');
    await label(page, 'Music studio').fill('4');
    if (javaScript) expect(await meter(page)).toContain('0 of 10 points left');
    await sendBallot(page);
    expect((await myBallot(reference, world.points.fundId, world.points.pot)).points).toEqual(
      expect.arrayContaining([
        { proposalId: p['Homework club'], points: 6 },
        { proposalId: p['Music studio'], points: 4 },
      ]),
    );

    // Change the approval vote: the latest one counts.
    await page.goto(approvalUrl);
    await page.getByText('You have already voted here').waitFor();
    await label(page, 'Bench by the pond').uncheck();
    await label(page, 'Bulb planting').check();
    const code = await sendBallot(page);
    expect(code).not.toBe(firstCode);
    expect(await page.getByText('The latest one counts').count()).toBe(1);
    const mine = await myBallot(reference, world.voting.fundId, world.voting.approvalPot);
    expect(mine.proposalIds.sort()).toEqual([a['Play street'], a['Bulb planting']].sort());
    const lines = (await tally(world.voting.approvalPot)).lines as { proposalId: string; supporters: number }[];
    expect(lines.find((l) => l.proposalId === a['Bench by the pond'])?.supporters ?? 0).toBe(0);

    // The receipt: check it through the link, then typed on the check page.
    await page.getByRole('link', { name: 'Check this receipt' }).click();
    await page.getByRole('heading', { name: 'Recorded' }).waitFor();
    await page.goto(`${api.url}/receipt`);
    await label(page, 'Receipt code').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByRole('heading', { name: 'Recorded' }).waitFor();
    expect(dialogs).toEqual([]);
    await context.close();
  });
});

describe('nothing of the tally before publication', () => {
  it('shows no count on any page of a fund open for voting, though ballots are cast', async () => {
    expect((await tally(world.voting.approvalPot)).ballots).toBeGreaterThan(0);
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, api.url, world.residents[8]);
    const f = world.voting.fundId;
    const paths = [
      '/',
      `/funds/${f}/proposals`,
      `/funds/${f}/proposals?pot=${world.voting.approvalPot}`,
      `/proposals/${world.voting.approval['Play street']}`,
      `/funds/${f}/pots/${world.voting.approvalPot}/vote`,
      `/funds/${f}/pots/${world.voting.approvalPot}/results`,
      `/funds/${f}/pots/${world.voting.knapsackPot}/results`,
      `/funds/${f}/delivery`,
    ];
    for (const path of paths) {
      await page.goto(api.url + path);
      const text = await page.locator('main').innerText();
      expect({ path, tally: /\d+\s+(votes|supporters|people voted)|Funded|Not funded/.test(text) }).toEqual({ path, tally: false });
    }
    await context.close();
  });
});
