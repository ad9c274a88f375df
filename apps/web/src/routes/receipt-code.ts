/** The short code a resident copies from a receipt, as the API gives it (e.g. 7QK2-M9XD-3F0A-BN4T-H). */
export function receiptCode(receipt: { code: string | null }): string | undefined {
  return receipt.code ?? undefined;
}

/**
 * A code as typed ("7qk2 m9xd 3f0a bn4t h"), tidied for the API, which checks it (including its
 * check character); undefined when it cannot be a code or a hash at all.
 */
export function normaliseCode(typed: string): string | undefined {
  const text = typed.trim().replace(/\s+/g, '');
  if (/^[0-9a-f]{64}$/i.test(text)) return text.toLowerCase();
  return /^[0-9A-Za-z-]{17,25}$/.test(text) ? text.toUpperCase() : undefined;
}
