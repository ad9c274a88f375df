import type { Page } from 'playwright-core';
import { fundForAssen } from '../support/imported-election';
import { axe } from './axe';
import { newContext, screenshot, signInAsStaff } from './browser';
import { webAndBrowser } from './suite';

/**
 * An administrator chooses how a fund's ballots are published, on a phone, in English, then in
 * Bengali sends the page after voting opened: the choice is recorded before voting, the refusal is
 * said in Bengali at the choice afterwards, and axe finds no violation on any of these pages.
 */
jest.setTimeout(180_000);
const suite = webAndBrowser('axe-incomplete-publication.json');

const send = (page: Page) => Promise.all([page.waitForLoadState('load'), page.locator('form button[type=submit]').last().click()]);

it('records linked or unlinked before voting and says the refusal after, at 360 px, in English and Bengali', async () => {
  const { api, browser, incomplete } = suite;
  const token = await api.signIn('administrator', 'admin-pub-browser');
  const { fundId, phase, publication: stored } = await fundForAssen(api, token);
  const path = `/admin/funds/${fundId}/publication`;
  const violations: unknown[] = [];
  const check = async (page: Page, name: string) => {
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    violations.push(...(await axe(page, `publication-${name}-360`, incomplete)));
    await screenshot(page, `staff-publication-${name}-360`);
  };

  const en = await newContext(browser, { lang: 'en', width: 360 });
  const admin = await en.newPage();
  await signInAsStaff(admin, api.url, 'administrator', 'admin-pub-browser');
  await admin.goto(`${api.url}/admin/funds/${fundId}`);
  await Promise.all([admin.waitForURL(`**${path}`), admin.getByRole('link', { name: 'Choose how the ballots are published' }).click()]);
  // Linked until chosen otherwise: the page says so and has it ticked.
  expect(await admin.locator('#current').innerText()).toBe('Chosen now: Linked');
  expect(await admin.getByLabel('Linked', { exact: true }).isChecked()).toBe(true);
  await check(admin, 'draft-en');
  await admin.getByLabel('Unlinked').check();
  await send(admin);
  await admin.locator('.govuk-notification-banner--success').waitFor();
  expect(await admin.locator('#current').innerText()).toBe('Chosen now: Unlinked');
  expect(await stored()).toBe('unlinked');
  await check(admin, 'saved-en');

  // In Bengali: the page opened in review, sent once voting has opened.
  await phase('openProposals');
  await phase('startReview');
  const bn = await newContext(browser, { lang: 'bn', width: 360 });
  const bengali = await bn.newPage();
  await signInAsStaff(bengali, api.url, 'administrator', 'admin-pub-browser-bn');
  await bengali.goto(`${api.url}/language?to=bn&back=${encodeURIComponent(path)}`);
  await check(bengali, 'review-bn');
  await phase('openVoting');
  await bengali.getByLabel('সংযুক্ত', { exact: true }).check();
  await send(bengali);
  await bengali.locator('.govuk-error-summary').waitFor();
  const refusal = 'ভোট শুরু হয়ে গেছে, তাই ব্যালট কীভাবে প্রকাশ হবে তা আর বদলানো যায় না';
  expect((await bengali.locator('.govuk-error-summary__list').innerText()).trim()).toBe(refusal);
  expect(await bengali.locator('#publication .govuk-error-message').innerText()).toContain(refusal);
  expect(await bengali.locator('input[name=publication]').count()).toBe(0);
  expect(await stored()).toBe('unlinked');
  await check(bengali, 'refused-bn');
  await bengali.locator('.govuk-error-summary__list a').click();
  expect(await bengali.evaluate('document.activeElement && document.activeElement.id')).toBe('publication');
  await en.close();
  await bn.close();
  expect(violations).toEqual([]);
});
