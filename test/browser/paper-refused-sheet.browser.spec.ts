import type { Page } from 'playwright-core';
import { acceptedNumbers, enterBowBatch } from '../support/paper-batch';
import { ok, votingFund } from '../support/voting-fund';
import { axe } from './axe';
import { newContext, screenshot, signInAsStaff } from './browser';
import { webAndBrowser } from './suite';

/**
 * An officer corrects a refused paper sheet from the batch's reconciliation on a phone: in
 * Bengali a correction refused again is said at the reference, in English the sheet's ballot is
 * recorded and the reconciliation shows it corrected. axe finds no violation on these pages.
 */
jest.setTimeout(180_000);
const suite = webAndBrowser('axe-incomplete-paper-refused-sheet.json');
const [A, B] = ['TH-570001', 'TH-570002'];

it('corrects a refused sheet from the reconciliation at 360 px, in Bengali then English', async () => {
  const { api, browser, incomplete } = suite;
  const f = await votingFund(api, [A, B]);
  const numbers = await acceptedNumbers(api, f.potId);
  const batchId = await enterBowBatch(api, f, 'SCAN-91', [
    { reference: 'TH-579999', numbers: [numbers[0]] },
    { reference: A, numbers: [numbers[1]] },
  ]);
  const batchUrl = `${api.url}/paper/batches/${batchId}`;
  const violations: unknown[] = [];
  const check = async (page: Page, name: string) => {
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    violations.push(...(await axe(page, `paper-refused-${name}-360`, incomplete)));
    await screenshot(page, `staff-paper-refused-${name}-360`);
  };
  const send = (page: Page) => Promise.all([page.waitForLoadState('load'), page.locator('form button[type=submit]').last().click()]);

  const bnContext = await newContext(browser, { lang: 'bn', width: 360 });
  const bn = await bnContext.newPage();
  await signInAsStaff(bn, api.url, 'reviewer', 'officer-refused-bn');
  await bn.goto(`${api.url}/language?to=bn&back=${encodeURIComponent(`/paper/batches/${batchId}`)}`);
  await check(bn, 'batch-bn');
  await Promise.all([bn.waitForURL('**/entries/1/correct'), bn.locator('#entry-1 a').click()]);
  expect(await bn.locator('#refused-why').innerText()).toMatch(/^এই শিটটি প্রত্যাখ্যাত হয়েছিল: /);
  await bn.fill('#reference', A);
  await bn.fill('#marks', String(numbers[0]));
  await bn.fill('#reason', 'রেফারেন্স ভুল পড়া হয়েছিল');
  await send(bn);
  await bn.locator('.govuk-error-summary').waitFor();
  expect((await bn.locator('#reference-error').innerText()).trim()).toContain('ভোটার এই এলাকায় আগেই ভোট দিয়েছেন');
  await check(bn, 'refused-again-bn');
  await bnContext.close();

  const enContext = await newContext(browser, { lang: 'en', width: 360 });
  const en = await enContext.newPage();
  await signInAsStaff(en, api.url, 'reviewer', 'officer-refused-en');
  await en.goto(`${batchUrl}/entries/1/correct`);
  await check(en, 'form-en');
  await en.fill('#reference', B);
  await en.fill('#marks', String(numbers[0]));
  await en.fill('#reason', 'The reference was typed 579999 for 570002');
  await send(en);
  await en.locator('.govuk-notification-banner--success').waitFor();
  expect(await en.locator('#entry-1').innerText()).toContain('Corrected');
  expect(await en.locator('#entry-1').innerText()).toContain('The reference was typed 579999 for 570002');
  await check(en, 'corrected-en');
  await enContext.close();
  expect(ok(await api.gql(`query($p: ID!) { tally(potId: $p) { paperBallots } }`, { p: f.potId }, f.reviewer)).tally.paperBallots).toBe(2);
  expect(violations).toEqual([]);
});
