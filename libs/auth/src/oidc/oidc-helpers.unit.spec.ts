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
  const seal = new LoginStateSeal('a-secret-of-enough-length-0123456789', 'staff-oidc');
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
    expect(new LoginStateSeal('another-secret-of-enough-length-0123', 'staff-oidc').open(sealed, 1_000)).toBeUndefined();
    expect(new LoginStateSeal('a-secret-of-enough-length-0123456789', 'resident-oidc').open(sealed, 1_000)).toBeUndefined();
    expect(seal.open(undefined, 1_000)).toBeUndefined();
    expect(seal.open('garbage', 1_000)).toBeUndefined();
  });
});
