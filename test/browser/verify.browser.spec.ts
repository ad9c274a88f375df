import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { cli } from '../../apps/cli/src/audit/testing/cli';
import type { startWeb } from '../web/web-client';
import type { WebWorld } from '../web/web-world';
import { axe, reportIncomplete, type Incomplete } from './axe';
import { newContext, screenshot } from './browser';
import { startPublishedWorld } from './published-world';

let api: Awaited<ReturnType<typeof startWeb>>;
let world: WebWorld;
let browser: Browser;
let code: string;
const incomplete: Incomplete = {};

beforeAll(async () => {
  ({ api, browser, world, code } = await startPublishedWorld());
}, 120_000);
afterAll(async () => {
  reportIncomplete('verify-axe-incomplete.json', incomplete);
  await browser?.close();
  await api?.stop();
});

describe('a receipt checked in the resident’s browser', () => {
  it.each(['en', 'bn'] as const)('shows the ballot counted and verified in the browser, axe clean (%s)', async (lang) => {
    for (const width of [1280, 360]) {
      const context = await newContext(browser, { lang, width });
      const page = await context.newPage();
      await page.goto(`${api.url}/receipt?code=${encodeURIComponent(code)}`);
      const check = page.locator('#receipt-browser-check[data-verdict]');
      await check.waitFor();
      expect(await check.getAttribute('data-verdict')).toBe('verified');
      if (lang === 'en') {
        await page.getByRole('heading', { name: 'Counted' }).waitFor();
        expect(await check.innerText()).toContain('Verified in your browser');
      } else expect(await check.innerText()).toContain('আপনার ব্রাউজারে যাচাই করা হয়েছে:');
      await page.locator('summary').click();
      await screenshot(page, `verify-receipt-${lang}-${width}`);
      expect(await axe(page, `receipt-${lang}-${width}`, incomplete)).toEqual([]);
      await context.close();
    }
  });

  it('fails a proof altered on its way, with its message', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.route('**/receipt?*', async (route) => {
      const response = await route.fetch();
      // One hash of the audit path changed: the path no longer leads to the signed root.
      const body = (await response.text()).replace(/"auditPath":\["(.)/, (_m, c: string) => `"auditPath":["${c === '0' ? '1' : '0'}`);
      await route.fulfill({ response, body });
    });
    await page.goto(`${api.url}/receipt?code=${encodeURIComponent(code)}`);
    const check = page.locator('#receipt-browser-check[data-verdict]');
    await check.waitFor();
    expect(await check.getAttribute('data-verdict')).toBe('RECEIPT.PROOF_INVALID');
    expect(await check.innerText()).toContain('The proof has been altered');
    await screenshot(page, 'verify-receipt-altered-en-1280');
    await context.close();
  });

  it('without JavaScript says what the server found and how to verify offline', async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${api.url}/receipt?code=${encodeURIComponent(code)}`);
    await page.getByRole('heading', { name: 'Counted' }).waitFor();
    expect(await page.locator('#receipt-browser-check').isVisible()).toBe(false);
    // The command is in a details element, closed until the resident opens it.
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Check this receipt yourself, offline');
    expect(text).toContain(`audit receipt verify ${code} --public-key audit-public.pem`);
    // The auditor's CLI verifies the same receipt with the key as the page shows it.
    const keyFile = join(mkdtempSync(join(tmpdir(), 'civic-verify-')), 'audit-public.pem');
    writeFileSync(keyFile, (await page.locator('pre').first().textContent()) ?? '');
    const run = await cli(['audit', 'receipt', 'verify', code, '--public-key', keyFile, '--url', api.url]);
    expect([run.code, JSON.parse(run.stdout)]).toMatchObject([0, { ok: true, standing: { status: 'counted' } }]);
    await context.close();
  });
});
