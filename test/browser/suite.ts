import type { Browser } from 'playwright-core';
import { startWeb } from '../web/web-client';
import { type Incomplete, reportIncomplete } from './axe';
import { launchChromium } from './browser';

export interface BrowserSuite {
  api: Awaited<ReturnType<typeof startWeb>>;
  browser: Browser;
  readonly incomplete: Incomplete;
}

/**
 * A real server and Debian's chromium for one suite of browser tests, started before it and
 * stopped after it; axe's incomplete results are written to `report`. Read the fields inside
 * the tests (they are set once the suite has started).
 */
export function webAndBrowser(report: string, env: Record<string, string> = {}): BrowserSuite {
  const suite = { incomplete: {} } as BrowserSuite;
  beforeAll(async () => {
    [suite.api, suite.browser] = await Promise.all([startWeb(env), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    reportIncomplete(report, suite.incomplete);
    await suite.browser?.close();
    await suite.api?.stop();
  });
  return suite;
}
