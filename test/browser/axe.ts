import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from './browser';

export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export type Incomplete = Record<string, { id: string; nodes: number }[]>;

/** axe-core at the WCAG 2.2 AA tags: the violations (for the test to assert none), its "incomplete" results kept in `incomplete`. */
export async function axe(page: Page, name: string, incomplete: Incomplete) {
  const result = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  incomplete[name] = result.incomplete.map((r) => ({ id: r.id, nodes: r.nodes.length }));
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
}

/** Writes axe's "incomplete" results (they need a person to judge) beside the screenshots, and says how many. */
export function reportIncomplete(file: string, incomplete: Incomplete): void {
  const report = join(dirname(SCREENSHOTS), file);
  mkdirSync(dirname(report), { recursive: true });
  writeFileSync(report, JSON.stringify(incomplete, null, 2));
  const total = Object.values(incomplete).reduce((n, list) => n + list.length, 0);
  process.stdout.write(`axe: ${total} incomplete results over ${Object.keys(incomplete).length} pages (${report})\n`);
}
