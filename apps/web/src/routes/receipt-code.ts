/** The short code a resident copies from a receipt: the first 12 hex digits of its hash, in groups of four. */
export function receiptCode(receipt: { hash: string | null; position: string | null }): string | undefined {
  const source = receipt.hash ?? undefined;
  if (!source) return undefined;
  return source
    .slice(0, 12)
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1-');
}

/** A code as typed ("a1b2 c3d4-e5f6") in its stored form ("a1b2c3d4e5f6"), or undefined when it cannot be one. */
export function normaliseCode(typed: string): string | undefined {
  const text = typed.replace(/[\s-]/g, '').toLowerCase();
  return /^[0-9a-f]{12}$/.test(text) ? text : undefined;
}
