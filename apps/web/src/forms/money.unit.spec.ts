import { asciiDigits, parseMoney } from './money';

describe(parseMoney.name, () => {
  it.each([
    ['5000', 500000],
    ['5,000', 500000],
    ['£5,000.50', 500050],
    ['£ 12.5', 1250],
    ['৫,০০০', 500000],
    ['৳', undefined],
    ['1,00', undefined],
    ['-5', undefined],
    ['5.001', undefined],
    ['five', undefined],
    ['', undefined],
    ['99999999999999999999', undefined],
  ])('reads %p as %p pence', (typed, pence) => expect(parseMoney(typed)).toBe(pence));

  it('reads Bengali and Arabic-Indic digits', () => expect(asciiDigits('০১২৩৪৫৬৭৮৯ ٠١٢٣')).toBe('0123456789 0123'));
});
