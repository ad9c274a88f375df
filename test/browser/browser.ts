import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the screenshots of every main page go (git-ignored; CI keeps them as artefacts). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

/**
 * Debian's chromium, headless. playwright's launch() gives every run a fresh temporary profile
 * (user-data-dir) of its own and removes it on close.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-core`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface ContextOptions {
  javaScript?: boolean;
  width?: number;
  lang?: 'en' | 'bn';
}

export async function newContext(
  browser: Browser,
  { javaScript = true, width = 1280, lang = 'en' }: ContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    javaScriptEnabled: javaScript,
    viewport: { width, height: width < 500 ? 740 : 900 },
    locale: lang === 'bn' ? 'bn-BD' : 'en-GB',
    extraHTTPHeaders: { 'accept-language': lang === 'bn' ? 'bn-BD,bn;q=0.9' : 'en-GB,en;q=0.9' },
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the sign-in page, as a resident would. */
export async function signIn(page: Page, base: string, reference: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.fill('#reference', reference);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/sign-in')), page.click('button[type=submit].govuk-button')]);
}

/** Evaluates an expression in the page (as text: the tests are type-checked without the DOM library). */
export const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

/** Signs in as a member of staff through the development staff sign-in page. */
export async function signInAsStaff(
  page: Page,
  base: string,
  role: 'administrator' | 'reviewer' | 'councillor' | 'auditor',
  subject = `${role}-1`,
) {
  await page.goto(`${base}/staff/sign-in`);
  await page.check(`input[name=role][value=${role}]`);
  await page.fill('#subject', subject);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/staff/sign-in')), page.click('button[type=submit].govuk-button')]);
}
