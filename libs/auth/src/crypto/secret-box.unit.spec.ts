import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe(SecretBox.name, () => {
  it('gives every sealed value its own IV, across many draws of IVs, and opens each', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = Array.from({ length: 3000 }, () => box.seal('TH000001'));
    const ivs = new Set(sealed.map((s) => Buffer.from(s, 'base64url').subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(3000);
    for (const s of sealed) expect(box.open(s)).toBe('TH000001');
    expect(new SecretBox(randomBytes(32)).open(sealed[0])).toBeUndefined();
  });
});
