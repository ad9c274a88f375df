import type { Browser } from 'playwright-core';
import { startWeb } from '../web/web-client';
import { buildWebWorld, type WebWorld } from '../web/web-world';
import { axe as axeOf, type Incomplete, reportIncomplete } from './axe';
import { inPage, launchChromium, newContext, screenshot, signInAsStaff } from './browser';

let api: Awaited<ReturnType<typeof startWeb>>;
let world: WebWorld;
let browser: Browser;
const incomplete: Incomplete = {};

beforeAll(async () => {
  [api, browser] = await Promise.all([startWeb({ AUDIT_CHECKPOINT_INTERVAL: '20' }), launchChromium()]);
  world = await buildWebWorld(api, 8);
}, 120_000);
afterAll(async () => {
  reportIncomplete('axe-incomplete-audit.json', incomplete);
  await browser?.close();
  await api?.stop();
});

const axe = (page: Parameters<typeof axeOf>[0], name: string) => axeOf(page, name, incomplete);

describe('an auditor in the browser', () => {
  it('sees the verification status, filters the log to one fund’s stream, slides back to before voting opened, and downloads an export', async () => {
    const context = await newContext(browser, { lang: 'en' });
    const page = await context.newPage();
    await signInAsStaff(page, api.url, 'auditor');
    await page.goto(`${api.url}/staff`);
    await page.getByRole('link', { name: 'Verification status' }).click();
    await page.locator('h1', { hasText: 'Is the history as it was signed?' }).waitFor();
    expect(await page.locator('.govuk-panel__title').innerText()).toContain('The last checkpoint checks out');
    expect(await page.locator('#checks .govuk-tag--green').count()).toBe(4);

    // The log, filtered to the published fund's own stream.
    await page.getByRole('link', { name: 'Audit log' }).first().click();
    await page.fill('#category', 'fund');
    await page.fill('#stream', world.published.fundId);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/category=fund/);
    const streams = await inPage<string[]>(
      page,
      `[...document.querySelectorAll('.council-event p')].map((p) => p.textContent.split(' · ')[1])`,
    );
    expect(streams.length).toBeGreaterThan(3);
    expect(new Set(streams.map((s) => s.split(' (')[0]))).toEqual(new Set([`fund-${world.published.fundId}`]));
    await page.locator('.council-event', { hasText: 'VotingOpened' }).locator('summary').click();
    const voting = await page.locator('.council-event', { hasText: 'VotingOpened' }).locator('pre').innerText();
    expect(voting).toContain(world.published.fundId);
    const reviewAt = await inPage<string>(
      page,
      `[...document.querySelectorAll('.council-event')].find((e) => e.querySelector('h2').textContent.trim().startsWith('ReviewStarted')).querySelector('p').textContent.match(/Position (\\S+)/)[1]`,
    );

    // The download of these events, streamed as a file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these events (JSON lines)' }).click(),
    ]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(path!, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(streams.length);
    expect(lines[0].type).toBe('FundCreated');

    // The time slider: now, then moved back to before voting opened.
    await page.goto(`${api.url}/audit/time-travel?fund=${world.published.fundId}`);
    expect(await page.locator('.council-slider').isVisible()).toBe(true);
    const head = Number(await page.locator('#position-slider').getAttribute('max'));
    await page.fill('#position', String(head));
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#as-of').waitFor();
    expect(await page.locator('caption').first().innerText()).toContain('6 ballots counted then');
    await screenshot(page, 'audit-time-travel-now-en-1280');
    // The range slider submits where it is let go.
    await Promise.all([
      page.waitForURL(new RegExp(`position=${reviewAt}`)),
      page.evaluate(
        `(() => { const r = document.querySelector('#position-slider'); r.value = ${JSON.stringify(reviewAt)}; r.dispatchEvent(new Event('input')); r.dispatchEvent(new Event('change')); })()`,
      ),
    ]);
    await page.locator('#as-of').waitFor();
    expect(await page.locator('main').innerText()).toContain('Proposals being reviewed');
    // Every pot of the fund says so.
    const noTally = await page.locator('.council-no-tally').allInnerTexts();
    expect(noTally.length).toBeGreaterThan(0);
    for (const text of noTally) expect(text).toContain('No ballots had been counted in this pot then.');
    expect(await page.locator('table').count()).toBe(0);
    await screenshot(page, 'audit-time-travel-before-voting-en-1280');
    await context.close();
  });

  it.each([
    ['en', 1280],
    ['en', 360],
    ['bn', 1280],
    ['bn', 360],
  ] as const)(
    'has no WCAG 2.2 AA violation on each auditors’ page in %s at %i px, and no horizontal scroll',
    async (lang, width) => {
      {
        const context = await newContext(browser, { lang, width });
        const page = await context.newPage();
        await signInAsStaff(page, api.url, 'auditor');
        const pages: Record<string, string> = {
          status: '/audit',
          log: '/audit/log',
          'log-filtered': `/audit/log?category=fund&stream=${world.published.fundId}`,
          'log-error': '/audit/log?type=%3Cb%3E',
          'time-travel': `/audit/time-travel?fund=${world.published.fundId}`,
          'time-travel-now': `/audit/time-travel?fund=${world.published.fundId}&at=2099-01-01T09:00`,
          'time-travel-error': `/audit/time-travel?fund=${world.published.fundId}&position=99999999`,
          'not-published': `/audit/pots/${world.voting.approvalPot}/export.pb`,
        };
        for (const [name, path] of Object.entries(pages)) {
          await page.goto(api.url + path);
          if (name === 'log-filtered') await page.locator('.council-event summary').first().click();
          expect({ name, lang, width, violations: await axe(page, `audit-${name}-${lang}-${width}`) }).toEqual({
            name,
            lang,
            width,
            violations: [],
          });
          const text = await page.locator('body').innerText();
          expect({ name, untranslated: text.match(/\[[a-z]+(\.[A-Za-z_]+)+\]/g) }).toEqual({ name, untranslated: null });
          const scrolls = await inPage<boolean>(page, 'document.documentElement.scrollWidth > document.documentElement.clientWidth');
          expect({ name, width, scrolls }).toEqual({ name, width, scrolls: false });
          await screenshot(page, `audit-${name}-${lang}-${width}`);
        }
        await context.close();
      }
    },
    400_000,
  );
});
