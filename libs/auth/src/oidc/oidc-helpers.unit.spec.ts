import { LoginStateSeal } from './login-state';
import { staffRoleFrom } from './staff-role';

describe(staffRoleFrom.name, () => {
  const mapping = [
    { role: 'administrator', value: 'pb-admins' },
    { role: 'reviewer', value: 'pb-officers' },
  ] as const;

  it('gives the first mapped role the claim holds, from a list or a space-separated string', () => {
    expect(staffRoleFrom({ groups: ['pb-officers', 'pb-admins'] }, 'groups', mapping)).toBe('administrator');
    expect(staffRoleFrom({ roles: 'staff pb-officers' }, 'roles', mapping)).toBe('reviewer');
  });

  it('gives none for no claim, another claim, or values that map to nothing', () => {
    expect(staffRoleFrom({}, 'groups', mapping)).toBeUndefined();
    expect(staffRoleFrom({ roles: ['pb-admins'] }, 'groups', mapping)).toBeUndefined();
    expect(staffRoleFrom({ groups: ['pb-admins-old', 42] }, 'groups', mapping)).toBeUndefined();
  });
});

describe(LoginStateSeal.name, () => {
  const OLD = 'a-secret-of-enough-length-0123456789';
  const NEW = 'another-secret-of-enough-length-0123';
  const seal = new LoginStateSeal([OLD], 'staff-oidc');
  const state = { state: 's', nonce: 'n', codeVerifier: 'verifier-secret', expiresAt: 2_000 };

  it('opens what it sealed until it expires', () => {
    const sealed = seal.seal(state);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('verifier-secret');
    expect(seal.open(sealed, 1_999)).toEqual(state);
    expect(seal.open(sealed, 2_000)).toBeUndefined();
  });

  it('refuses a value altered, sealed under another secret or purpose, or missing', () => {
    const sealed = seal.seal(state);
    const altered = Buffer.from(sealed, 'base64url');
    altered[altered.length - 1] ^= 1;
    expect(seal.open(altered.toString('base64url'), 1_000)).toBeUndefined();
    expect(new LoginStateSeal([NEW], 'staff-oidc').open(sealed, 1_000)).toBeUndefined();
    expect(new LoginStateSeal([OLD], 'resident-oidc').open(sealed, 1_000)).toBeUndefined();
    expect(seal.open(undefined, 1_000)).toBeUndefined();
    expect(seal.open('garbage', 1_000)).toBeUndefined();
  });

  it('after a rotation, seals under the new secret and still opens what the previous one sealed', () => {
    const before = seal.seal(state);
    const rotated = new LoginStateSeal([NEW, OLD], 'staff-oidc');
    expect(rotated.open(before, 1_000)).toEqual(state);
    const after = rotated.seal(state);
    expect(new LoginStateSeal([NEW], 'staff-oidc').open(after, 1_000)).toEqual(state);
    expect(seal.open(after, 1_000)).toBeUndefined();
  });
});
