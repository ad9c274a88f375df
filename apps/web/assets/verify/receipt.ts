/// <reference lib="dom" />
/**
 * The receipt page's check, loaded only there: reads the proof and the audit key the page
 * carries as data, verifies them in the browser and says so in the resident's language.
 */
import { verifyReceiptInBrowser, type BrowserReceiptProof } from './proof';

interface PageData {
  readonly hash: string;
  readonly publicKeyPem: string;
  readonly receipt: BrowserReceiptProof | null;
  readonly messages: Record<string, string>;
}

async function run(): Promise<void> {
  const source = document.getElementById('receipt-proof-data');
  const out = document.getElementById('receipt-browser-check');
  if (!source || !out) return;
  const data = JSON.parse(source.textContent ?? 'null') as PageData;
  out.hidden = false;
  const verdict = await verifyReceiptInBrowser(data.receipt, data.publicKeyPem, data.hash).catch(
    () => ({ ok: false, code: 'RECEIPT.MALFORMED' }) as const,
  );
  const text = verdict.ok ? data.messages.verified : (data.messages[verdict.code] ?? data.messages['RECEIPT.MALFORMED']);
  out.querySelector('[data-verdict]')!.textContent = text;
  out.dataset.verdict = verdict.ok ? 'verified' : verdict.code;
  out.classList.add(verdict.ok ? 'council-check--ok' : 'council-check--failed');
}

void run();
