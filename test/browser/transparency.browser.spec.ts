import type { Browser, Page } from 'playwright-core';
import { signResultsCertificate, type SignedResultsCertificate, type SigningKey } from '@civic/audit';
import { AUDIT_KEY } from '../../apps/api/src/tokens';
import type { startWeb } from '../web/web-client';
import type { WebWorld } from '../web/web-world';
import { axe, reportIncomplete, type Incomplete } from './axe';
import { newContext, screenshot } from './browser';
import { startPublishedWorld } from './published-world';

/**
 * Results anyone can check, in a real browser: after publication a resident finds their
 * receipt on the pot's bulletin board, re-runs the signed certificate in the browser and sees
 * it identical; a certificate changed on its way fails, saying what differs; before
 * publication the board shows nothing; the pages are axe-clean in English and Bengali.
 */
let api: Awaited<ReturnType<typeof startWeb>>;
let world: WebWorld;
let browser: Browser;
let code: string;
let results: string;
let board: string;
const incomplete: Incomplete = {};

beforeAll(async () => {
  ({ api, browser, world, code } = await startPublishedWorld());
  results = `${api.url}/funds/${world.published.fundId}/pots/${world.published.pot}/results`;
  board = `${api.url}/funds/${world.published.fundId}/pots/${world.published.pot}/board`;
}, 120_000);
afterAll(async () => {
  reportIncomplete('transparency-axe-incomplete.json', incomplete);
  await browser?.close();
  await api?.stop();
});

/** Presses "Recompute in your browser" and waits for the verdict. */
async function recompute(page: Page): Promise<{ verdict: string | null; text: string }> {
  await page.getByRole('button', { name: /Recompute in your browser|আপনার ব্রাউজারে আবার হিসাব করুন/ }).click();
  const panel = page.locator('#certificate-browser-check[data-verdict]');
  await panel.waitFor({ timeout: 60_000 });
  return { verdict: await panel.getAttribute('data-verdict'), text: await panel.innerText() };
}

describe('results anyone can check, in the browser', () => {
  it.each(['en', 'bn'] as const)(
    'finds the resident’s receipt on the board and recomputes the certificate: identical; axe clean (%s)',
    async (lang) => {
      for (const width of [1280, 360]) {
        const context = await newContext(browser, { lang, width });
        const page = await context.newPage();
        await page.goto(results);
        const { verdict, text } = await recompute(page);
        expect(verdict).toBe('identical');
        expect(text).toMatch(lang === 'en' ? /Recomputed in your browser: identical.*\(\d+ ms\)/s : /হুবহু এক/);
        await screenshot(page, `transparency-results-${lang}-${width}`);
        expect(await axe(page, `results-check-${lang}-${width}`, incomplete)).toEqual([]);

        await page.goto(board);
        await page.locator('#receipt').fill(code);
        await Promise.all([page.waitForURL(/receipt=/), page.locator('form.council-board-search button').click()]);
        const found = page.locator('#board-search-result');
        expect(await found.innerText()).toContain(
          lang === 'en' ? 'Your receipt is on the board: your ballot counted' : 'আপনার রসিদ বোর্ডে আছে',
        );
        expect(await page.locator('.council-board-table tbody tr').count()).toBe(1);
        await screenshot(page, `transparency-board-found-${lang}-${width}`);
        expect(await axe(page, `board-found-${lang}-${width}`, incomplete)).toEqual([]);
        await page.goto(board);
        await screenshot(page, `transparency-board-${lang}-${width}`);
        expect(await axe(page, `board-${lang}-${width}`, incomplete)).toEqual([]);
        await page.goto(`${api.url}/open-data`);
        if (width === 1280) await screenshot(page, `transparency-open-data-${lang}-${width}`);
        expect(await axe(page, `open-data-${lang}-${width}`, incomplete)).toEqual([]);
        await context.close();
      }
    },
    240_000,
  );

  it('fails a certificate changed on its way: an amount, a ballot, the signature', async () => {
    const key = api.app.get<SigningKey>(AUDIT_KEY);
    const context = await newContext(browser);
    const page = await context.newPage();
    let tamper: (signed: SignedResultsCertificate) => SignedResultsCertificate = (s) => s;
    await page.route('**/certificate.json', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: JSON.stringify(tamper(JSON.parse(await response.text()))) });
    });
    const verdictAfter = async (edit: typeof tamper) => {
      tamper = edit;
      await page.goto(results);
      return recompute(page);
    };
    const edited = (change: (c: any) => void) => (s: SignedResultsCertificate) => {
      const c = structuredClone(s.certificate) as any;
      change(c);
      return { ...s, certificate: c };
    };
    // One amount changed: the council's signature no longer covers it.
    const amount = await verdictAfter(edited((c) => (c.funded[0].amount += 100)));
    expect(amount.verdict).toBe('CERTIFICATE.SIGNATURE_INVALID');
    expect(amount.text).toContain('The certificate has been changed since the council signed it');
    // The same change signed again with the audit key itself (the worst case): the re-run finds it, and names the proposal.
    const resigned = await verdictAfter((s) => signResultsCertificate(edited((c) => (c.funded[0].amount += 100))(s).certificate, key));
    expect(resigned.verdict).toBe('CERTIFICATE.ALLOCATION_MISMATCH');
    expect(resigned.text).toMatch(/Recomputed in your browser: different[\s\S]*What differs: No\. \d+ /);
    await screenshot(page, 'transparency-results-tampered-en-1280');
    // One ballot's choice moved to another proposal, signed again: the ballots no longer give the certificate's digest.
    const ballot = await verdictAfter((s) =>
      signResultsCertificate(
        edited((c) => {
          const lines: string[] = c.pabulib.text.split('\n');
          const at = lines.findIndex((l) => /^[0-9a-f]{64};/.test(l));
          const [voter, vote] = lines[at].split(';');
          const other = c.projects.map((p: { id: string }) => p.id).find((id: string) => !vote.split(',').includes(id));
          lines[at] = [voter, other, ...lines[at].split(';').slice(2)].join(';');
          c.pabulib.text = lines.join('\n');
        })(s).certificate,
        key,
      ),
    );
    expect(ballot.verdict).toMatch(/^CERTIFICATE\.(PABULIB|BALLOTS)_MISMATCH$/);
    // One byte of the signature changed.
    const signature = await verdictAfter((s) => {
      const value = Buffer.from(s.signature.value, 'base64');
      value[7] ^= 1;
      return { ...s, signature: { ...s.signature, value: value.toString('base64') } };
    });
    expect(signature.verdict).toBe('CERTIFICATE.SIGNATURE_INVALID');
    await context.close();
  }, 180_000);

  it('without JavaScript offers the certificate and the command that re-runs it offline', async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(results);
    expect(await page.locator('#certificate-browser-check').isVisible()).toBe(false);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Download the signed results certificate');
    expect(text).toContain('audit certificate verify');
    const download = await page.locator('a[href$="/certificate.json"]').first().getAttribute('href');
    const file = await (await fetch(`${api.url}${download}`)).json();
    expect(file.certificate.potId).toBe(world.published.pot);
    // The receipt page, once the ballot counted, leads to it on the board.
    await page.goto(`${api.url}/receipt?code=${encodeURIComponent(code)}`);
    await page.getByRole('link', { name: 'See your ballot on the pot’s public bulletin board' }).click();
    expect(await page.locator('#board-search-result').innerText()).toContain('Your receipt is on the board: your ballot counted');
    await context.close();
  });

  it('shows no ballot on a board before its pot’s results are published (en, bn)', async () => {
    for (const lang of ['en', 'bn'] as const) {
      const context = await newContext(browser, { lang });
      const page = await context.newPage();
      await page.goto(`${api.url}/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/board`);
      expect(await page.locator('main').innerText()).toContain(
        lang === 'en' ? 'The bulletin board opens when the results of this pot are published' : 'ফলাফল প্রকাশিত হলে বুলেটিন বোর্ড খুলবে',
      );
      expect(await page.locator('.council-hash').count()).toBe(0);
      expect(await axe(page, `board-pending-${lang}`, incomplete)).toEqual([]);
      await context.close();
    }
  });
});
