import { createHash } from 'node:crypto';
import { parseReceiptCode, receiptCode } from './receipt-code';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

describe(receiptCode.name, () => {
  it('is four groups of four base32 characters and a check character, and reads back as the first 10 bytes of the hash', () => {
    for (let i = 0; i < 200; i++) {
      const h = hash(`event ${i}`);
      const code = receiptCode(h);
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}-[0-9A-HJKMNP-TV-Z]$/);
      expect(parseReceiptCode(code)?.toString('hex')).toBe(h.slice(0, 20));
      expect(parseReceiptCode(code.toLowerCase().replace(/-/g, ' '))?.toString('hex')).toBe(h.slice(0, 20));
    }
  });

  it('reads I and L as 1 and O as 0', () => {
    const code = receiptCode('10'.repeat(32)).replace(/1/g, 'l').replace(/0/g, 'O');
    expect(parseReceiptCode(code)?.toString('hex')).toBe('10'.repeat(10));
  });

  it('refuses any one mistyped character and any swap of two different neighbours', () => {
    const code = receiptCode(hash('a ballot')).replace(/-/g, '');
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 0; i < code.length; i++) {
      for (const c of alphabet) if (c !== code[i]) expect(parseReceiptCode(code.slice(0, i) + c + code.slice(i + 1))).toBeUndefined();
      if (i + 1 < code.length && code[i] !== code[i + 1]) {
        expect(parseReceiptCode(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2))).toBeUndefined();
      }
    }
    expect(parseReceiptCode('not a code')).toBeUndefined();
    expect(parseReceiptCode(code.slice(1))).toBeUndefined();
  });
});
