import { ASSEN_2024 as ASSEN, fundForAssen } from '../support/imported-election';
import { ok } from '../support/voting-fund';
import { axe } from './axe';
import { newContext, screenshot, signInAsStaff } from './browser';
import { webAndBrowser } from './suite';

/**
 * An administrator uploads a bad pabulib file through the real page, on a phone, in English and
 * in Bengali: the error summary says what is wrong and where, in the page's language, at the
 * field; axe finds no violation on the refused page; nothing is written.
 */
jest.setTimeout(180_000);
const suite = webAndBrowser('axe-incomplete-pabulib-errors.json');

it('says a bad file’s problem and line in the page’s language, at 360 px, and writes nothing', async () => {
  const { api, browser, incomplete } = suite;
  const token = await api.signIn('administrator', 'admin-pb-errors');
  const { fundId, potId, phase } = await fundForAssen(api, token);
  await phase('openProposals');
  await phase('startReview');
  const path = `/admin/funds/${fundId}/pots/${potId}/import`;
  const unknown = Buffer.from(`${ASSEN.trimEnd()}\r\nvoter-x;999\r\n`);
  const expected = {
    en: 'The file is not valid pabulib, line 120: the vote names project “999”, which is not in PROJECTS',
    bn: 'ফাইলটি বৈধ pabulib নয়, লাইন ১২০: ভোটে প্রকল্প “999”-এর নাম আছে, যা PROJECTS-এ নেই',
  };
  const violations: unknown[] = [];
  for (const lang of ['en', 'bn'] as const) {
    const context = await newContext(browser, { lang, width: 360 });
    const page = await context.newPage();
    await signInAsStaff(page, api.url, 'administrator', 'admin-pb-errors');
    await page.goto(`${api.url}/language?to=${lang}&back=${encodeURIComponent(path)}`);
    await page.setInputFiles('input[type=file]', { name: 'assen.pb', mimeType: 'text/plain', buffer: unknown });
    await Promise.all([page.waitForLoadState('load'), page.locator('form button[type=submit]').last().click()]);
    await page.locator('.govuk-error-summary').waitFor();
    expect((await page.locator('.govuk-error-summary__list').innerText()).trim()).toBe(expected[lang]);
    expect(await page.locator('.govuk-error-message').innerText()).toContain(expected[lang].split(': ')[1]);
    // Nothing scrolls sideways at 360 px.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    violations.push(...(await axe(page, `pabulib-error-${lang}-360`, incomplete)));
    await screenshot(page, `staff-pabulib-error-${lang}-360`);
    await context.close();
  }
  expect(violations).toEqual([]);
  const proposals = ok(await api.gql(`query($p: ID!) { proposals(potId: $p, first: 1) { totalCount } }`, { p: potId }));
  expect(proposals.proposals.totalCount).toBe(0);
});
