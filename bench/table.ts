/** Prints a plain-text table: the benches' one output format. */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(cells[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of cells.slice(1)) process.stdout.write(`${line(r)}\n`);
}

/** Formats a ratio against a target, e.g. `1.23× (target ≥ 0.7×: ok)`. */
export function verdict(ratio: number, target: number): string {
  return `${ratio.toFixed(2)}× (target ≥ ${target}×: ${ratio >= target ? 'ok' : 'MISSED'})`;
}

/** Peak resident memory of this process so far, in MB (Linux: VmHWM). */
export function peakRssMb(): number {
  try {
    const status = require('node:fs').readFileSync('/proc/self/status', 'utf8') as string;
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.memoryUsage().rss / 1024 / 1024;
}
