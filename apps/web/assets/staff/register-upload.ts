/// <reference lib="dom" />
/**
 * The register page's upload, loaded only there: reads the chosen CSV in the browser and posts it
 * a chunk of rows at a time (each chunk one importRegister), moving the progress bar as each is
 * recorded, then offers the refused rows as a CSV report. Without this script the form uploads the
 * whole file and the server imports it as a job whose page follows it.
 */
interface Refused {
  line: number;
  code: string;
  message: string;
  reason: string;
}

const form = document.querySelector<HTMLFormElement>('form[data-module="register-upload"]');
const lang = document.documentElement.lang;
const number = new Intl.NumberFormat(lang === 'bn' ? 'bn-BD' : lang === 'en' ? 'en-GB' : lang);
const fill = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
const byId = (id: string) => document.getElementById(id) as HTMLElement;

/**
 * Whole lines of a file, read as it streams, each with how far into the file it ends (counted in
 * characters: the bytes of an ASCII register), so that progress follows the rows sent, not the
 * bytes the browser has read ahead.
 */
async function* linesOf(file: File): AsyncGenerator<{ line: string; bytes: number }> {
  const reader = file.stream().getReader();
  const decoder = new TextDecoder();
  let rest = '';
  let consumed = 0;
  for (;;) {
    const { done, value } = await reader.read();
    rest += decoder.decode(value, { stream: !done });
    const lines = rest.split('\n');
    rest = done ? '' : (lines.pop() ?? '');
    for (const line of lines) {
      consumed += line.length + 1;
      yield { line: line.replace(/\r$/, ''), bytes: consumed };
    }
    if (done) return;
  }
}

/** The file's rows in chunks of `rows`, each with the header and the file line of its first row. */
async function* chunksOf(file: File, rows: number): AsyncGenerator<{ csv: string; firstLine: number; bytes: number }> {
  let header: string | undefined;
  let batch: string[] = [];
  let lineNo = 0;
  let bytes = 0;
  for await (const read of linesOf(file)) {
    lineNo++;
    bytes = read.bytes;
    if (header === undefined) header = read.line.replace(/^\uFEFF/, '');
    else if (batch.push(read.line) === rows) {
      yield { csv: [header, ...batch].join('\n'), firstLine: lineNo - batch.length + 1, bytes };
      batch = [];
    }
  }
  if (batch.some((r) => r.trim())) yield { csv: [header ?? '', ...batch].join('\n'), firstLine: lineNo - batch.length + 1, bytes };
}

/** The report: line, code and the reason in the page's language (as the server gave it). */
const csvOf = (refused: Refused[]) =>
  ['line,code,reason', ...refused.map((r) => `${r.line},${r.code},"${(r.reason || r.message).replace(/"/g, '""')}"`)].join('\n');

async function upload(target: HTMLFormElement, file: File): Promise<void> {
  const data = target.dataset;
  const progress = byId('upload-progress');
  const bar = progress.querySelector<HTMLElement>('[role="progressbar"]')!;
  const status = byId('upload-status');
  const set = (percent: number, rows: number) => {
    bar.setAttribute('aria-valuenow', String(percent));
    bar.querySelector<HTMLElement>('.council-progress__bar')!.style.width = `${percent}%`;
    status.textContent = fill(data.tProgress ?? '', { percent: number.format(percent), rows: number.format(rows) });
  };
  target.hidden = true;
  document.querySelector('.govuk-details')?.setAttribute('hidden', '');
  progress.hidden = false;
  set(0, 0);
  const token = (target.elements.namedItem('_csrf') as HTMLInputElement).value;
  const commandId = (target.elements.namedItem('commandId') as HTMLInputElement).value;
  let imported = 0;
  let rows = 0;
  let n = 0;
  let stoppedAt: { line: number; error: string } | undefined;
  const refused: Refused[] = [];
  for await (const chunk of chunksOf(file, Number(data.rows) || 5000)) {
    const body = new URLSearchParams({ _csrf: token, commandId, n: String(n++), firstLine: String(chunk.firstLine), csv: chunk.csv });
    const res = await fetch(data.chunkUrl!, { method: 'POST', body, credentials: 'same-origin' });
    const answer = (await res.json().catch(() => ({ error: res.statusText }))) as {
      imported?: number;
      refused?: Refused[];
      error?: string;
    };
    if (!res.ok || answer.error) {
      // A file refused at its first chunk (no header, say) is sent whole instead: the server's page
      // then shows the GOV.UK error summary, and nothing was written.
      if (n === 1) return target.submit();
      stoppedAt = { line: chunk.firstLine, error: answer.error ?? res.statusText };
      break;
    }
    imported += answer.imported ?? 0;
    refused.push(...(answer.refused ?? []));
    rows += chunk.csv.split('\n').length - 1;
    set(Math.min(100, Math.round((chunk.bytes / Math.max(1, file.size)) * 100)), rows);
  }
  if (!stoppedAt) set(100, rows);
  const result = byId('upload-result');
  byId('upload-imported').textContent = fill(data.tImported ?? '', { count: number.format(imported) });
  byId('upload-refused').textContent = fill(data.tRefused ?? '', { count: number.format(refused.length) });
  if (stoppedAt) {
    const stopped = byId('upload-stopped');
    stopped.textContent = `${fill(data.tStopped ?? '', { line: number.format(stoppedAt.line) })} ${stoppedAt.error}`;
    stopped.hidden = false;
  }
  if (refused.length) {
    const report = byId('upload-report');
    report.querySelector('a')!.href = URL.createObjectURL(new Blob([csvOf(refused)], { type: 'text/csv;charset=utf-8' }));
    report.hidden = false;
  }
  result.hidden = false;
}

form?.addEventListener('submit', (event) => {
  const file = form.querySelector<HTMLInputElement>('input[type="file"]')?.files?.[0];
  // No file, or a browser that cannot stream one: the form is sent as it is, and the server answers.
  if (!file || typeof file.stream !== 'function' || typeof TextDecoder !== 'function') return;
  event.preventDefault();
  void upload(form, file).catch(() => form.submit());
});
