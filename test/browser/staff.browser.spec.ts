import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { isoToLocal } from '../../apps/web/src/routes/zoned-time';
import { ok } from '../support/voting-fund';
import { startWeb } from '../web/web-client';
import { proposeAs } from '../web/web-world';
import { axe as axeOf, type Incomplete, reportIncomplete } from './axe';
import { inPage, launchChromium, newContext, screenshot, signIn, signInAsStaff } from './browser';

/**
 * The whole staff journey of one fund in a real browser, on one server: an administrator sets it
 * up and imports the register from a file, a reviewer reviews, residents vote (a reviewer watching
 * the live tally), voting is extended then closed, a councillor overrides, ratifies and publishes,
 * and an auditor checks the history and slides back to before voting opened. axe runs on every
 * staff page visited, then again on each of them in Bengali.
 */
let api: Awaited<ReturnType<typeof startWeb>>;
let browser: Browser;
const incomplete: Incomplete = {};
/** Every staff page the journey visited (its path), for the pass in Bengali. */
const visited = new Map<string, string>();
const violations: unknown[] = [];

beforeAll(async () => {
  [api, browser] = await Promise.all([startWeb({ AUDIT_CHECKPOINT_INTERVAL: '20' }), launchChromium()]);
}, 120_000);
afterAll(async () => {
  reportIncomplete('axe-incomplete-staff.json', incomplete);
  await browser?.close();
  await api?.stop();
});

const DAY = 86_400_000;
const local = (offsetDays: number) => isoToLocal(new Date(Date.now() + offsetDays * DAY).toISOString(), 'Europe/London');
const WARDS_CSV = readFileSync('/work/shared/demo/wards.csv', 'utf8');
const WARDS_PREVIEW = 'Show what will change';

/** axe on the page as it is now; the page is remembered for the Bengali pass (GET pages only). */
async function check(page: Page, name: string, revisit = true): Promise<void> {
  const found = await axeOf(page, `staff-${name}-en`, incomplete);
  if (found.length) violations.push({ name, found });
  if (revisit) visited.set(name, new URL(page.url()).pathname + new URL(page.url()).search);
}

/** Sends a form by its button, and waits for the page that answers it. */
async function click(page: Page, name: string) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).first().click()]);
}

describe('the staff’s journey through one fund, in a real browser', () => {
  it('sets up, imports the register, reviews, votes live, extends and closes, allocates and publishes, audits', async () => {
    const context = await newContext(browser);
    const admin = await context.newPage();
    await signInAsStaff(admin, api.url, 'administrator', 'admin-journey');

    // The borough's wards, from the demo's wards.csv, with a preview before they are saved.
    await admin.goto(`${api.url}/admin/wards`);
    await check(admin, 'wards');
    await admin.fill('#csv', WARDS_CSV);
    await click(admin, WARDS_PREVIEW);
    await check(admin, 'wards-preview', false);
    await click(admin, 'Save these wards');
    await admin.locator('.govuk-notification-banner--success').waitFor();

    // A fund whose phases may all start now, with two ward pots.
    await admin.goto(`${api.url}/admin/funds/new`);
    await check(admin, 'fund-new');
    await admin.fill('#name', 'Journey Fund 2027');
    await admin.fill('#description', 'A fund run from start to finish by the staff journey.');
    for (const [field, days] of [
      ['proposalsOpenAt', -30],
      ['reviewStartsAt', -20],
      ['votingOpensAt', -10],
      ['votingClosesAt', 5],
    ] as const)
      await admin.fill(`#${field}`, local(days));
    await click(admin, 'Create the fund in draft');
    await admin.locator('.govuk-notification-banner--success').waitFor();
    const fundId = /\/admin\/funds\/([0-9a-f-]{36})/.exec(admin.url())![1];
    await check(admin, 'fund');
    for (const [name, ward] of [
      ['Mile End pot', 'Mile End'],
      ['Bow West pot', 'Bow West'],
    ]) {
      await admin.goto(`${api.url}/admin/funds/${fundId}/pots/new`);
      await check(admin, 'pot-new');
      await admin.fill('#name', name);
      await admin.check('input[name=scope][value=ward]');
      await admin.selectOption('#ward', ward);
      await admin.fill('#budget', '30,000');
      await admin.check('input[name=kind][value=approval]');
      await admin.fill('#maxPicks', '2');
      await admin.check('input[name=rule][value=greedy_by_votes]');
      await click(admin, 'Add the pot');
      await admin.locator('.govuk-notification-banner--success').waitFor();
    }
    const token = await api.signIn('administrator', 'admin-journey-api');
    const fund = ok(await api.gql(`query($id: ID!) { fund(id: $id) { pots { id name } } }`, { id: fundId }, token)).fund;
    const potOf = (name: string) => fund.pots.find((p: { name: string }) => p.name === name).id as string;
    const [mileEnd, bowWest] = [potOf('Mile End pot'), potOf('Bow West pot')];

    // The register from a file of 1,000 rows, two of them refused: with JavaScript, sent in chunks.
    const residents = Array.from({ length: 1000 }, (_, i) => `TH-J${String(i).padStart(5, '0')}`);
    const rows = residents.map((r, i) => `${r},${i % 2 ? 'Bow West' : 'Mile End'},1980-01-01`);
    rows[10] = 'TH-JBAD1,Mile End,not-a-date';
    rows[11] = ',Mile End,1980-01-01';
    await admin.goto(`${api.url}/admin/register`);
    await check(admin, 'register');
    await admin.setInputFiles('#file', {
      name: 'register.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['reference,ward,date_of_birth', ...rows].join('\n')),
    });
    await admin.getByRole('button', { name: 'Import', exact: true }).click();
    await admin.locator('[role=progressbar][aria-valuenow="100"]').waitFor();
    await admin.locator('#upload-result:not([hidden])').waitFor();
    expect(await admin.locator('#upload-imported').innerText()).toBe('998 residents imported');
    expect(await admin.locator('#upload-refused').innerText()).toBe('Rows refused: 2');
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.locator('#upload-report a').click()]);
    const report = readFileSync((await download.path())!, 'utf8').split('\n');
    expect(report[0]).toBe('line,code,reason');
    expect(report.slice(1).map((l) => l.split(',')[0])).toEqual(['12', '13']);
    await check(admin, 'register-done', false);

    // Proposals open; residents propose (through the API: their pages have journeys of their own).
    const phase = async (label: string) => {
      await admin.goto(`${api.url}/admin/funds/${fundId}/phase`);
      await check(admin, `phase-${label}`, false);
      await click(admin, label);
      await admin.locator('.govuk-notification-banner--success').waitFor();
    };
    await phase('Open for proposals');
    const proposer = await api.signIn('resident', residents[0]);
    const propose = (potId: string, title: string, cost: string) => proposeAs(api, proposer, fundId, potId, title, cost);
    const ids: Record<string, string> = {};
    for (const title of ['Pond dipping platform', 'New benches', 'Benches for the park', 'Ice rink on the roof'])
      ids[title] = await propose(mileEnd, title, '1000000');
    const bowProposal = await propose(bowWest, 'Bow West library garden', '1200000');
    await phase('Start the review');

    // A reviewer accepts with the official cost, rejects with a reason, merges two duplicates.
    const reviewer = await context
      .browser()!
      .newContext()
      .then((c) => c.newPage());
    await signInAsStaff(reviewer, api.url, 'reviewer', 'officer-journey');
    await reviewer.goto(`${api.url}/review/funds/${fundId}/pots/${mileEnd}`);
    await check(reviewer, 'review-queue');
    const accept = async (title: string) => {
      await reviewer.getByLabel(`Official cost of ${title}`).fill('10,000');
      await reviewer.locator(`form[action$="${ids[title]}/accept"] button`).click();
      await reviewer.locator('.govuk-notification-banner--success').waitFor();
    };
    await accept('Pond dipping platform');
    await reviewer.getByLabel('Reason for rejecting Ice rink on the roof').selectOption('outsideRemit');
    await reviewer.locator(`form[action$="${ids['Ice rink on the roof']}/reject"] button`).click();
    await reviewer.getByRole('cell', { name: /It is not something the council can fund/ }).waitFor();
    await reviewer.getByLabel('Merge New benches with').selectOption(ids['Benches for the park']);
    await reviewer.locator(`form[action$="/merge"]:has(#merge-${ids['New benches']}) button`).click();
    await reviewer.getByRole('heading', { name: 'Merge two proposals' }).waitFor();
    await check(reviewer, 'review-merge');
    await reviewer.getByLabel('New benches').check();
    await reviewer.getByRole('button', { name: 'Merge the proposals' }).click();
    await reviewer.getByText('merged into New benches').waitFor();
    await accept('New benches');
    const officer = await api.signIn('reviewer', 'officer-journey-api');
    ok(
      await api.gql(
        `mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "1200000") { proposal { status } } }`,
        { id: bowProposal },
        officer,
      ),
    );
    await phase('Open voting');

    // The reviewer watches the live tally while residents vote online.
    await reviewer.goto(`${api.url}/tally/funds/${fundId}/pots/${mileEnd}`);
    await reviewer.locator('[data-module=live-tally][data-live=connected]').waitFor();
    await check(reviewer, 'tally');
    const voter = await browser.newContext().then((c) => c.newPage());
    await signIn(voter, api.url, residents[2]);
    await voter.goto(`${api.url}/funds/${fundId}/pots/${mileEnd}/vote`);
    await voter.getByLabel(/Pond dipping platform/).check();
    await voter.getByLabel(/New benches/).check();
    await voter.getByRole('button', { name: 'Continue' }).click();
    await voter.getByRole('button', { name: 'Send my vote' }).click();
    await voter.getByRole('heading', { name: 'Vote recorded' }).waitFor();
    for (const reference of [residents[4], residents[6]]) {
      ok(
        await api.gql(
          `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { __typename } }`,
          { f: fundId, p: mileEnd, c: { proposalIds: [ids['Pond dipping platform']] } },
          await api.signIn('resident', reference),
        ),
      );
    }
    // No reload: the table and the chart follow the subscription.
    await reviewer.locator('[data-module=live-tally][data-ballots="3"]').waitFor();
    expect(await reviewer.locator(`tr[data-proposal="${ids['Pond dipping platform']}"] td`).innerText()).toBe('3');
    expect(await reviewer.locator(`[data-bar-label="${ids['New benches']}"]`).textContent()).toMatch(/\(1\)$/);

    // Voting is extended with a reason, then closed early with one.
    await admin.goto(`${api.url}/admin/funds/${fundId}/voting`);
    await check(admin, 'voting');
    await admin.check('input[name=action][value=extend]');
    await admin.fill('#votingClosesAt', local(7));
    await admin.fill('#reason', 'The website was down for three hours on Saturday.');
    await click(admin, 'Record the change');
    await admin.locator('.govuk-notification-banner--success').waitFor();
    expect(await admin.locator('main').innerText()).toContain('The website was down for three hours on Saturday.');
    await admin.goto(`${api.url}/admin/funds/${fundId}/voting`);
    await admin.check('input[name=action][value=closeEarly]');
    await admin.fill('#reason', 'Every ballot box is in.');
    await click(admin, 'Record the change');
    await admin.locator('.govuk-notification-banner--success').waitFor();

    // The allocation: computed by the administrator; a councillor overrides a line, ratifies, publishes.
    const base = (potId: string) => `${api.url}/staff/allocation/${fundId}/${potId}`;
    await admin.goto(`${base(mileEnd)}/compute`);
    await check(admin, 'allocation-compute');
    await admin.check('#confirm');
    await click(admin, 'Compute');
    const councillor = await browser.newContext().then((c) => c.newPage());
    await signInAsStaff(councillor, api.url, 'councillor', 'cllr-journey');
    await councillor.goto(base(mileEnd));
    await check(councillor, 'allocation');
    await councillor.goto(`${base(mileEnd)}/override/${ids['New benches']}`);
    await check(councillor, 'allocation-override');
    await councillor.fill('#reason', 'The park is being rebuilt next year.');
    await click(councillor, 'Override the line');
    await councillor.getByText('A councillor overrode the rule').first().waitFor();
    for (const step of ['ratify', 'publish']) {
      await councillor.goto(`${base(mileEnd)}/${step}`);
      await check(councillor, `allocation-${step}`);
      await councillor.check('#confirm');
      await click(councillor, step === 'ratify' ? 'Ratify' : 'Publish');
      await councillor.locator('.govuk-notification-banner--success').waitFor();
    }
    const cllr = await api.signIn('councillor', 'cllr-journey-api');
    for (const [step, who] of [
      ['computeAllocation', token],
      ['ratifyAllocation', cllr],
      ['publishAllocation', cllr],
    ] as const)
      ok(await api.gql(`mutation($f: ID!, $p: ID!) { ${step}(fundId: $f, potId: $p) { __typename } }`, { f: fundId, p: bowWest }, who));
    ok(await api.gql(`mutation($f: ID!) { publishResults(fundId: $f) { fund { phase } } }`, { f: fundId }, cllr));

    // The results name every proposal by title and give the override's reason.
    await voter.goto(`${api.url}/funds/${fundId}/pots/${mileEnd}/results`);
    const results = await voter.locator('main').innerText();
    expect(results).toContain('Pond dipping platform');
    expect(results).toContain('New benches');
    expect(results).toContain('The park is being rebuilt next year.');

    // An auditor: the verification status, then the fund as it stood before voting opened.
    const auditor = await browser.newContext().then((c) => c.newPage());
    await signInAsStaff(auditor, api.url, 'auditor', 'auditor-journey');
    await auditor.goto(`${api.url}/audit`);
    await check(auditor, 'audit-status');
    expect(await auditor.locator('.govuk-panel__title').innerText()).toContain('checks out');
    await auditor.goto(`${api.url}/audit/log?category=fund&stream=${fundId}`);
    await check(auditor, 'audit-log');
    const reviewAt = await inPage<string>(
      auditor,
      `[...document.querySelectorAll('.council-event')].find((e) => e.querySelector('h2').textContent.trim().startsWith('ReviewStarted')).querySelector('p').textContent.match(/Position (\\S+)/)[1]`,
    );
    await auditor.goto(`${api.url}/audit/time-travel?fund=${fundId}`);
    await check(auditor, 'time-travel');
    await Promise.all([
      auditor.waitForURL(new RegExp(`position=${reviewAt}`)),
      auditor.evaluate(
        `(() => { const r = document.querySelector('#position-slider'); r.value = ${JSON.stringify(reviewAt)}; r.dispatchEvent(new Event('input')); r.dispatchEvent(new Event('change')); })()`,
      ),
    ]);
    await auditor.locator('#as-of').waitFor();
    const noTally = await auditor.locator('.council-no-tally').allInnerTexts();
    expect(noTally.length).toBe(2);
    for (const text of noTally) expect(text).toContain('No ballots had been counted in this pot then.');
    await check(auditor, 'time-travel-before-voting');

    // The documents page, and the pabulib page (this fund takes no import now).
    await admin.goto(`${api.url}/documents`);
    await check(admin, 'documents');
    await admin.goto(`${api.url}/admin/funds/${fundId}/pots/${mileEnd}/import`);
    await check(admin, 'pabulib');

    expect(violations).toEqual([]);
    await context.close();
  }, 240_000);

  it('has no WCAG 2.2 AA violation on the staff pages it visited, in Bengali', async () => {
    const roles = { administrator: 'admin-journey', reviewer: 'officer-journey', councillor: 'cllr-journey', auditor: 'auditor-journey' };
    const roleOf = (path: string) =>
      path.startsWith('/review') || path.startsWith('/tally')
        ? 'reviewer'
        : path.startsWith('/audit')
          ? 'auditor'
          : /^\/staff\/allocation\/[^/]+\/[^/]+(\/(override|ratify|publish).*)?$/.test(path) && !path.endsWith('/compute')
            ? 'councillor'
            : 'administrator';
    const found: unknown[] = [];
    for (const role of Object.keys(roles) as (keyof typeof roles)[]) {
      const context = await newContext(browser, { lang: 'bn' });
      const page = await context.newPage();
      await signInAsStaff(page, api.url, role, roles[role]);
      for (const [name, path] of visited) {
        if (roleOf(path) !== role) continue;
        await page.goto(api.url + path);
        const v = await axeOf(page, `staff-${name}-bn`, incomplete);
        if (v.length) found.push({ name, v });
        expect({ name, untranslated: (await page.locator('body').innerText()).match(/\[[a-z]+(\.[A-Za-z_]+)+\]/g) }).toEqual({
          name,
          untranslated: null,
        });
        if (['register', 'documents', 'pabulib', 'tally'].includes(name)) await screenshot(page, `staff-${name}-bn-1280`);
      }
      await context.close();
    }
    expect(found).toEqual([]);
  }, 240_000);
});
