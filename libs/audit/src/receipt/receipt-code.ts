/**
 * The short code of a receipt, for people to copy: the first 80 bits of the event hash in
 * Crockford base32 (no I, L, O, U), four groups of four, and a Luhn mod 32 check character,
 * which catches any one mistyped character and any swap of two neighbours but 0 and Z.
 * `7QK2-M9XD-3F0A-BN4T-H`. 80 bits leave no two events of any real history with one code.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECEIPT_CODE_BYTES = 10;

export function receiptCode(eventHashHex: string): string {
  const bytes = Buffer.from(eventHashHex, 'hex').subarray(0, RECEIPT_CODE_BYTES);
  if (bytes.length !== RECEIPT_CODE_BYTES) throw new RangeError('A receipt code needs a 32-byte event hash');
  const digits: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      digits.push((acc >> (bits - 5)) & 31);
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  const body = digits.map((d) => ALPHABET[d]).join('');
  return `${body.match(/.{4}/g)!.join('-')}-${ALPHABET[luhnCheck(digits)]}`;
}

/**
 * The hash prefix a code stands for, or undefined when it is not a well-formed code (a
 * mistyped character fails the check). Case, spaces and dashes do not matter; I and L read
 * as 1, O as 0, as Crockford's base32 says.
 */
export function parseReceiptCode(code: string): Buffer | undefined {
  const text = code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (!/^[0-9A-HJKMNP-TV-Z]{17}$/.test(text)) return undefined;
  const digits = [...text].map((c) => ALPHABET.indexOf(c));
  const check = digits.pop()!;
  if (luhnCheck(digits) !== check) return undefined;
  const bytes = Buffer.alloc(RECEIPT_CODE_BYTES);
  let acc = 0;
  let bits = 0;
  let i = 0;
  for (const d of digits) {
    acc = (acc << 5) | d;
    bits += 5;
    if (bits >= 8) {
      bytes[i++] = (acc >> (bits - 8)) & 0xff;
      bits -= 8;
      acc &= (1 << bits) - 1;
    }
  }
  return bytes;
}

/** Luhn mod N (N = 32) over base32 digits: the digit that makes the weighted sum a multiple of 32. */
function luhnCheck(digits: readonly number[]): number {
  let factor = 2;
  let sum = 0;
  for (let i = digits.length - 1; i >= 0; i--) {
    let addend = factor * digits[i];
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return (32 - (sum % 32)) % 32;
}
