/// <reference lib="dom" />
/**
 * The results page's "Recompute in your browser" button: shown only with JavaScript; on press it
 * loads the checker (certificate-check.js, outside the page-weight budget), fetches the
 * certificate the page links to, re-runs it, and says the verdict and the time it took in the
 * resident's language (the page carries every message; the script only picks one).
 */
interface PageData {
  readonly certificateUrl: string;
  readonly publicKeyPem: string;
  readonly messages: Record<string, string>;
  /** Each proposal's number and title by id, to name what differs. */
  readonly names: Record<string, string>;
}

type Checker = typeof import('./certificate-check');

/** Where verify-assets.ts serves the checker (a path of this site: the CSP allows scripts from it). */
const CHECKER = '/assets/verify/certificate-check.js';

function run(): void {
  const source = document.getElementById('certificate-data');
  const panel = document.getElementById('certificate-browser-check');
  const button = document.getElementById('certificate-recompute') as HTMLButtonElement | null;
  if (!source || !panel || !button) return;
  const data = JSON.parse(source.textContent ?? 'null') as PageData;
  const out = panel.querySelector<HTMLElement>('[data-verdict]')!;
  const detail = panel.querySelector<HTMLElement>('[data-detail]')!;
  panel.hidden = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    delete panel.dataset.verdict;
    panel.classList.remove('council-check--ok', 'council-check--failed');
    out.textContent = data.messages.checking;
    detail.textContent = '';
    const started = performance.now();
    const verdict = await (async () => {
      const checker = (await import(CHECKER)) as Checker;
      const file = await (await fetch(data.certificateUrl, { credentials: 'same-origin' })).text();
      return checker.verifyCertificateInBrowser(file, data.publicKeyPem);
    })().catch((err: Error) => ({ ok: false as const, code: 'CERTIFICATE.MALFORMED' as const, message: err.message }));
    const ms = new Intl.NumberFormat(document.documentElement.lang || 'en', { maximumFractionDigits: 0 }).format(
      performance.now() - started,
    );
    if (verdict.ok) out.textContent = data.messages.identical.replace('{ms}', ms);
    else {
      out.textContent = data.messages[verdict.code] ?? data.messages['CERTIFICATE.MALFORMED'];
      const differing = 'differing' in verdict ? verdict.differing : undefined;
      if (differing?.length)
        detail.textContent = data.messages.differing.replace('{ids}', differing.map((id) => data.names[id] ?? id).join(', '));
    }
    panel.dataset.verdict = verdict.ok ? 'identical' : verdict.code;
    panel.classList.add(verdict.ok ? 'council-check--ok' : 'council-check--failed');
    button.disabled = false;
  });
}

run();
