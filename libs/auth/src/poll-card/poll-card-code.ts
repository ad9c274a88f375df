import { randomInt } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a printed code is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 symbols of 5 bits: 80 bits, beyond guessing even at a million tries a second for years. */
const LENGTH = 16;

/** A new printed voting code, in groups of four: `7K3Q-MZ2D-…`. */
export function newPollCardCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code.match(/.{4}/g)!.join('-');
}

/** A typed code as it was printed: spaces and dashes dropped, upper case, O→0, I/L→1. Undefined when it cannot be one. */
export function normalisePollCardCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== LENGTH || [...code].some((c) => !ALPHABET.includes(c))) return undefined;
  return code.match(/.{4}/g)!.join('-');
}
