import { ok } from '../support/voting-fund';
import { buildWebWorld, type WebWorld } from '../web/web-world';
import { axe } from './axe';
import { newContext, screenshot, signInAsStaff } from './browser';
import { webAndBrowser } from './suite';

/**
 * A reviewer watches the live tally page on a phone, in English and in Bengali: while residents
 * vote online in the page's pot and an officer enters a paper form in the fund's other pot, every
 * row of turnout by ward and channel follows the subscription without a reload, in the page's
 * digits, and the page names no voter; residents imported into the register move the count of
 * those who may vote and the share. axe finds no violation on the page as it stands then.
 */
jest.setTimeout(180_000);
const suite = webAndBrowser('axe-incomplete-live-turnout.json');
let world: WebWorld;
beforeAll(async () => {
  world = await buildWebWorld(suite.api, 4);
}, 120_000);

interface Turnout {
  potId: string;
  ballots: number;
  online: number;
  paper: number;
  assisted: number;
  ward: string | null;
  registered: number;
}

it('follows turnout by ward and channel live, at 360 px, in English and Bengali', async () => {
  const { api, browser, incomplete } = suite;
  const reviewer = await api.signIn('reviewer', 'officer-live-turnout');
  const { fundId, approvalPot, knapsackPot } = world.voting;
  const turnout = async () =>
    ok(
      await api.gql(
        `query($f: ID!) { turnout(fundId: $f) { potId ballots online paper assisted ward registered } }`,
        { f: fundId },
        reviewer,
      ),
    ).turnout as Turnout[];
  const castOnline = async (reference: string) =>
    ok(
      await api.gql(
        `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
        { f: fundId, p: approvalPot, c: { proposalIds: [Object.values(world.voting.approval)[0]] } },
        await api.signIn('resident', reference),
      ),
    );
  const enterPaper = async (reference: string) =>
    ok(
      await api.gql(
        `mutation($i: PaperBatchInput!) { enterPaperBatch(input: $i) { batchId } }`,
        {
          i: {
            fundId,
            potId: knapsackPot,
            officer: 'Officer Uddin',
            location: 'Bow Idea Store',
            collectedAt: new Date().toISOString(),
            scanReference: `SCAN-LIVE-${reference}`,
            entries: [{ reference, content: { proposalIds: [Object.values(world.voting.knapsack)[0]] } }],
          },
        },
        reviewer,
      ),
    );
  const voters = { en: world.residents[0], bn: world.residents[1] };
  const violations: unknown[] = [];
  for (const lang of ['en', 'bn'] as const) {
    const digits = new Intl.NumberFormat(lang === 'bn' ? 'bn-BD' : 'en-GB');
    const context = await newContext(browser, { lang, width: 360 });
    const page = await context.newPage();
    await signInAsStaff(page, api.url, 'reviewer', `reviewer-live-${lang}`);
    await page.goto(`${api.url}/language?to=${lang}&back=${encodeURIComponent(`/tally/funds/${fundId}/pots/${approvalPot}`)}`);
    await page.locator('[data-module=live-tally][data-live=connected]').waitFor();
    const before = await turnout();
    const shown = (potId: string, channel: string) => page.locator(`tr[data-turnout="${potId}"] [data-channel="${channel}"]`);
    // The rows as loaded are the API's counts.
    for (const t of before) expect(await shown(t.potId, 'ballots').innerText()).toBe(digits.format(t.ballots));

    // No reload: a ballot online in this pot and a paper form in the other pot move their rows.
    await castOnline(voters[lang]);
    await enterPaper(voters[lang]);
    const after = await turnout();
    const of = (potId: string) => after.find((t) => t.potId === potId)!;
    expect(of(approvalPot).online).toBe(before.find((t) => t.potId === approvalPot)!.online + 1);
    expect(of(knapsackPot).paper).toBe(before.find((t) => t.potId === knapsackPot)!.paper + 1);
    for (const t of after) {
      for (const channel of ['online', 'paper', 'assisted', 'ballots'] as const) {
        const text = digits.format(t[channel]);
        await shown(t.potId, channel)
          .and(page.getByText(text, { exact: true }))
          .waitFor();
      }
    }
    // No reload: residents imported into the page's pot's ward move its count of who may vote, and its share.
    const admin = await api.signIn('administrator', 'admin-live-turnout');
    const ward = of(approvalPot).ward ?? 'Bow West';
    const rows = [1, 2, 3].map((n) => `TH-LIVE-${lang}-${n},${ward},1980-01-01`);
    const imported = ok(
      await api.gql(
        `mutation($c: String!) { importRegister(csv: $c) { imported } }`,
        { c: ['reference,ward,date_of_birth', ...rows].join('\n') },
        admin,
      ),
    );
    expect(imported.importRegister.imported).toBe(3);
    const grown = (await turnout()).find((t) => t.potId === approvalPot)!;
    expect(grown.registered).toBe(of(approvalPot).registered + 3);
    await shown(approvalPot, 'registered')
      .and(page.getByText(digits.format(grown.registered), { exact: true }))
      .waitFor();
    const share = digits.format(Math.round((grown.ballots / grown.registered) * 1000) / 10);
    expect(await shown(approvalPot, 'share').innerText()).toBe(`${share}%`);
    const main = await page.locator('main').innerText();
    expect(main).not.toContain(voters[lang]);
    if (lang === 'bn') expect(await shown(approvalPot, 'share').innerText()).toMatch(/^[০-৯.,]+%$/);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    violations.push(...(await axe(page, `live-turnout-${lang}-360`, incomplete)));
    await screenshot(page, `staff-live-turnout-${lang}-360`);
    await context.close();
  }
  expect(violations).toEqual([]);
});
