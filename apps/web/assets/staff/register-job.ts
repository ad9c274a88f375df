/// <reference lib="dom" />
/**
 * The register import's job page, loaded only there: instead of reloading the whole page (what it
 * does without JavaScript), asks the server how far the import has got every two seconds and
 * updates the line and the bar in place; once the import has finished, or the server no longer
 * knows it, loads the page again to show the result.
 */
const root = document.querySelector<HTMLElement>('[data-module="register-job"]');

async function follow(target: HTMLElement): Promise<void> {
  const line = document.getElementById('job-progress');
  const bar = document.getElementById('job-bar') as HTMLProgressElement | null;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const res = await fetch(target.dataset.progressUrl!, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    const answer = (await res.json().catch(() => ({ state: 'unknown' }))) as {
      state: string;
      rowsRead?: number;
      expectedRows?: number;
      text?: string;
    };
    if (answer.state !== 'running') return location.reload();
    if (line && answer.text && line.textContent !== answer.text) line.textContent = answer.text;
    if (bar && answer.rowsRead !== undefined) {
      bar.max = Math.max(1, answer.expectedRows ?? 1);
      bar.value = answer.rowsRead;
    }
  }
}

if (root) void follow(root).catch(() => location.reload());
