import { createHmac } from 'node:crypto';
import { HmacPseudonymiser } from './hmac-pseudonymiser';
import { DerivedKeyPort } from './key.port';
import { eventIdFor } from './event-ids';

describe(HmacPseudonymiser.name, () => {
  const keys = new DerivedKeyPort(Buffer.alloc(32, 1));
  const sut = new HmacPseudonymiser(keys);
  const fund = { kind: 'fund', fundId: 'fund-2026' } as const;

  it('gives one pseudonym per resident and fund, however the reference was typed', async () => {
    const typed = ['TH 123 456', 'th123456', ' Th123456 ', 'ＴＨ１２３４５６', 'TH\u3000123\u00a0456'];
    const pseudonyms = new Set(await Promise.all(typed.map((t) => sut.pseudonymFor(fund, t))));
    expect(pseudonyms.size).toBe(1);
  });

  it('is HMAC-SHA256 of the normalised reference under the scope key', async () => {
    const key = await keys.keyFor(fund);
    expect(await sut.pseudonymFor(fund, 'th 123456')).toBe(createHmac('sha256', key).update('TH123456').digest('hex'));
  });

  it('gives many references of one scope the pseudonyms it gives each, in order', async () => {
    const typed = ['th 123456', 'TH654321', 'ＴＨ１２３４５６'];
    const each = await Promise.all(typed.map((t) => sut.pseudonymFor({ kind: 'register' }, t)));
    expect(await sut.pseudonymsFor({ kind: 'register' }, typed)).toEqual(each);
    expect(each[2]).toBe(each[0]);
    expect(await sut.pseudonymsFor(fund, typed)).not.toEqual(each);
  });

  it('differs between funds and from the register, so pseudonyms cannot be linked across them', async () => {
    const inFund = await sut.pseudonymFor(fund, 'TH123456');
    expect(await sut.pseudonymFor({ kind: 'fund', fundId: 'fund-2027' }, 'TH123456')).not.toBe(inFund);
    expect(await sut.pseudonymFor({ kind: 'register' }, 'TH123456')).not.toBe(inFund);
  });

  it('differs under another master secret', async () => {
    const other = new HmacPseudonymiser(new DerivedKeyPort(Buffer.alloc(32, 2)));
    expect(await other.pseudonymFor(fund, 'TH123456')).not.toBe(await sut.pseudonymFor(fund, 'TH123456'));
  });

  it('refuses a short master secret', () => expect(() => new DerivedKeyPort(Buffer.alloc(16))).toThrow());
});

describe(eventIdFor.name, () => {
  it('derives the same UUID from the same command and index, another from another', () => {
    expect(eventIdFor('cmd-1', 0)).toBe(eventIdFor('cmd-1', 0));
    expect(eventIdFor('cmd-1', 1)).not.toBe(eventIdFor('cmd-1', 0));
    expect(eventIdFor('cmd-1', 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
