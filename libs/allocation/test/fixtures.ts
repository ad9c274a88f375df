import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pabulib development set (see fixtures/pabulib/SOURCES.md) and the reference outcomes. */
export const FIXTURES = join(__dirname, 'fixtures', 'pabulib');

export interface ExpectedOutcome {
  readonly selected: string[];
  readonly selection_order: string[];
  readonly total_cost: string;
  readonly runtime_s: number;
  readonly tie_sensitive: boolean;
  readonly selected_with_reverse_lexico?: string[];
}

export type ExpectedFile = Record<string, ExpectedOutcome> & { _meta: Record<string, unknown> };

export const EXPECTED = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, ExpectedFile>;

/** Every fixture file named in expected.json. */
export const FILES = Object.keys(EXPECTED).filter((k) => !k.startsWith('_'));

/** The rule keys expected.json records for a file. */
export function ruleKeysOf(file: string): string[] {
  return Object.keys(EXPECTED[file]).filter((k) => !k.startsWith('_'));
}

export const fixture = (file: string) => join(FIXTURES, file);
