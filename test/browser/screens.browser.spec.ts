import type { Browser } from 'playwright-core';
import { startWeb } from '../web/web-client';
import { buildWebWorld, type WebWorld } from '../web/web-world';
import { inPage, launchChromium, newContext, screenshot, signIn } from './browser';
import { mainPages } from './pages';

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

describe('screenshots of every main page', () => {
  it.each([
    ['en', 1280],
    ['bn', 1280],
    ['en', 360],
    ['bn', 360],
  ] as const)('in %s at %i px', async (lang, width) => {
    const context = await newContext(browser, { lang, width });
    const page = await context.newPage();
    await signIn(page, api.url, world.residents[0]);
    for (const [name, path] of Object.entries(mainPages(world))) {
      await page.goto(api.url + path);
      await screenshot(page, `${name}-${lang}-${width}`);
    }
    await context.close();
  });
});

describe('right to left', () => {
  it('renders a page right to left from the test-only Arabic catalogue', async () => {
    const context = await newContext(browser, { width: 360 });
    const page = await context.newPage();
    await page.goto(`${api.url}/language?to=ar&back=%2Fsign-in`);
    expect(await inPage<string>(page, 'getComputedStyle(document.body).direction')).toBe('rtl');
    const box = await page.locator('h1').boundingBox();
    expect(box!.x + box!.width).toBeGreaterThan(300); // the heading starts at the right edge
    await screenshot(page, 'sign-in-ar-rtl-360');
    await context.close();
  });
});
