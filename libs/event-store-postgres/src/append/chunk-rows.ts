import type { PlannedRow } from './plan-batch';

/** Most JSON characters in one INSERT: a bind parameter holds at most 1 GB, and memory counts long before. */
export const MAX_STATEMENT_CHARS = 16 * 1024 * 1024;

/**
 * Splits a batch's rows into INSERTs of bounded size, cutting only between requests, so each
 * request is still written by exactly one statement (all or nothing).
 */
export function chunkRows(rows: readonly PlannedRow[], maxChars = MAX_STATEMENT_CHARS): PlannedRow[][] {
  const chunks: PlannedRow[][] = [];
  let current: PlannedRow[] = [];
  let chars = 0;
  for (const row of rows) {
    const prev = current[current.length - 1];
    if (prev && prev.request !== row.request && chars >= maxChars) {
      chunks.push(current);
      current = [];
      chars = 0;
    }
    current.push(row);
    chars += row.dataJson.length + row.metadataJson.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
