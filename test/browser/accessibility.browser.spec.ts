import type { Browser } from 'playwright-core';
import { startWeb } from '../web/web-client';
import { buildWebWorld, type WebWorld } from '../web/web-world';
import { axe as axeOf, type Incomplete, reportIncomplete } from './axe';
import { inPage, launchChromium, newContext, signIn } from './browser';
import { mainPages } from './pages';

let api: Awaited<ReturnType<typeof startWeb>>;
let world: WebWorld;
let browser: Browser;
const incomplete: Incomplete = {};

beforeAll(async () => {
  [api, browser] = await Promise.all([startWeb(), launchChromium()]);
  world = await buildWebWorld(api);
}, 120_000);
afterAll(async () => {
  reportIncomplete('axe-incomplete.json', incomplete);
  await browser?.close();
  await api?.stop();
});

const axe = (page: Parameters<typeof axeOf>[0], name: string) => axeOf(page, name, incomplete);

describe.each(['en', 'bn'] as const)('accessibility of every page in %s', (lang) => {
  it('has no WCAG 2.2 AA violation found by axe, no untranslated key, and no horizontal scroll at 320 px', async () => {
    for (const width of [1280, 320]) {
      const context = await newContext(browser, { lang, width });
      const page = await context.newPage();
      await signIn(page, api.url, world.residents[9]);
      const pages: Record<string, () => Promise<unknown>> = Object.fromEntries(
        Object.entries(mainPages(world)).map(([name, path]) => [name, () => page.goto(api.url + path)]),
      );
      // The states between pages: a form with its errors, the review page, the confirmation.
      pages['propose-errors'] = async () => {
        await page.goto(`${api.url}/funds/${world.proposing.fundId}/propose`);
        await page.locator('form button.govuk-button').click();
        await page.locator('.govuk-error-summary').waitFor();
      };
      pages['notifications-errors'] = async () => {
        await page.goto(`${api.url}/notifications`);
        await page.locator('input[name=votingEmails]').check(); // the world's residents have no address on the register
        await page.locator('form button.govuk-button').click();
        await page.locator('.govuk-error-summary').waitFor();
      };
      pages['vote-errors'] = async () => {
        await page.goto(`${api.url}/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/vote`);
        for (const box of await page.locator('input[name=choice]').all()) await box.check();
        await page.locator('form[data-module=ballot] button.govuk-button').click();
        await page.locator('.govuk-error-summary').waitFor();
      };
      pages['vote-review'] = async () => {
        await page.goto(`${api.url}/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/vote`);
        await page.locator('input[name=choice]').first().check();
        await page.locator('form[data-module=ballot] button.govuk-button').click();
        await page.locator('.govuk-summary-list').waitFor();
      };
      pages['vote-done'] = async () => {
        await page.locator('main form button.govuk-button').click();
        await page.locator('#receipt-code').waitFor();
      };
      for (const [name, open] of Object.entries(pages)) {
        await open();
        expect({ name, lang, violations: width > 320 ? await axe(page, `${name}-${lang}`) : [] }).toEqual({ name, lang, violations: [] });
        const text = await page.locator('body').innerText();
        expect({ name, untranslated: text.match(/\[[a-z]+(\.[A-Za-z_]+)+\]/g) }).toEqual({ name, untranslated: null });
        const scroll = await inPage<number>(page, 'document.documentElement.scrollWidth');
        expect({ name, width, scroll: scroll <= width }).toEqual({ name, width, scroll: true });
      }
      await context.close();
    }
  });
});

describe('Bengali', () => {
  it('renders with Bengali digits and dates, in a font that has the glyphs and forms conjuncts', async () => {
    const context = await newContext(browser, { lang: 'bn' });
    const page = await context.newPage();
    await page.goto(api.url);
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/ভোট শেষ হবে \S+বার [০-৯]{1,2} \S+, [০-৯]{2}:[০-৯]{2}/);
    expect(text).not.toMatch(/£\d|\d{2}:\d{2}/);
    const widths = await inPage<Record<string, number>>(
      page,
      `(() => {
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = getComputedStyle(document.querySelector('.govuk-body')).font;
        const w = (t) => ctx.measureText(t).width;
        return { digit: w('৫'), missing: w('\u{10FFFD}'), ka: w('ক'), ssa: w('ষ'), conjunct: w('ক্ষ') };
      })()`,
    );
    expect(widths.digit).not.toBeCloseTo(widths.missing, 1); // not the missing-glyph box
    expect(widths.conjunct).toBeLessThan(widths.ka + widths.ssa); // ক্ষ is shaped as one conjunct
    await context.close();
  });
});

describe('keyboard only', () => {
  it('votes with the keyboard alone; after an error the focus is on the error summary; focus is visible', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, api.url, world.residents[10]);
    await page.goto(`${api.url}/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/vote`);
    const focused = () => inPage<string>(page, "document.activeElement?.id ?? ''");
    const tabTo = async (id: string) => {
      for (let i = 0; i < 40 && (await focused()) !== id; i++) await page.keyboard.press('Tab');
      expect(await focused()).toBe(id);
    };
    await tabTo('choices');
    const ring = await inPage<string>(
      page,
      `(() => {
        const label = document.querySelector('label[for=choices]');
        return getComputedStyle(label, '::after').boxShadow + getComputedStyle(document.activeElement).outlineStyle + getComputedStyle(label, '::before').boxShadow;
      })()`,
    );
    expect(ring).not.toBe('nonenonenone');
    for (const id of ['choices', 'choices-2', 'choices-3']) {
      await tabTo(id);
      await page.keyboard.press('Space');
    }
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#client-error-summary').waitFor();
    expect(await focused()).toBe('client-error-summary');
    await tabTo('choices-3');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Check your vote before sending it' }).waitFor();
    await page.keyboard.press('Tab');
    for (let i = 0; i < 40 && (await inPage<string>(page, 'document.activeElement?.textContent?.trim()')) !== 'Send my vote'; i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Vote recorded' }).waitFor();
    await context.close();
  });
});
