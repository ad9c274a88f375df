/** Bengali (and other Unicode) decimal digits to ASCII: "৫,০০০" → "5,000". */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => {
    const code = d.codePointAt(0)!;
    // Unicode decimal digits come in runs of ten consecutive code points, zero first (some runs touch).
    let zero = code;
    while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
    return String((code - zero) % 10);
  });
}

/**
 * An amount typed by a resident, in pence: "5000", "5,000", "£5,000.50", " ৫,০০০ " all work;
 * anything else (letters, negative, more than two decimals, misplaced commas) is undefined.
 */
export function parseMoney(typed: string): number | undefined {
  const text = asciiDigits(typed).trim().replace(/^£\s*/, '').replace(/\s+/g, '');
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const pounds = Number(match[1].replace(/,/g, ''));
  const pence = match[2] ? Number(match[2].padEnd(2, '0')) : 0;
  const total = pounds * 100 + pence;
  return Number.isSafeInteger(total) ? total : undefined;
}
