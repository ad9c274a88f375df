import { createHmac } from 'node:crypto';
import { loadConfig } from '@civic/config';
import { TokenService } from './token.service';

const SECRET = 'a-test-secret-of-enough-length-0123456789';
const service = (secret = SECRET) => new TokenService(loadConfig({ NODE_ENV: 'test' }), secret);

/** A token signed by hand, so that each claim can be wrong on its own. */
function handMade(payload: Record<string, unknown>, { secret = SECRET, alg = 'HS256' } = {}): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg, typ: 'JWT' })}.${part(payload)}`;
  const signature = alg === 'none' ? '' : createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${signature}`;
}
const now = () => Math.floor(Date.now() / 1000);

describe('TokenService', () => {
  it('verifies what it signs, again and again (from its cache)', () => {
    const tokens = service();
    const token = tokens.sign('TH-000001', 'resident');
    expect(tokens.verify(token)).toEqual({ subject: 'TH-000001', role: 'resident' });
    expect(tokens.verify(token)).toEqual({ subject: 'TH-000001', role: 'resident' });
    expect(service().verify(token)).toEqual({ subject: 'TH-000001', role: 'resident' });
  });

  it.each([
    ['signed with another key', handMade({ sub: 'x', role: 'auditor', iss: 'civic-ledger', exp: now() + 60 }, { secret: 'other' })],
    ['unsigned (alg none)', handMade({ sub: 'x', role: 'auditor', iss: 'civic-ledger', exp: now() + 60 }, { alg: 'none' })],
    ['from another issuer', handMade({ sub: 'x', role: 'auditor', iss: 'elsewhere', exp: now() + 60 })],
    ['expired', handMade({ sub: 'x', role: 'auditor', iss: 'civic-ledger', exp: now() - 5 })],
    ['without an expiry', handMade({ sub: 'x', role: 'auditor', iss: 'civic-ledger' })],
    ['without a subject', handMade({ role: 'auditor', iss: 'civic-ledger', exp: now() + 60 })],
    ['with an unknown role', handMade({ sub: 'x', role: 'mayor', iss: 'civic-ledger', exp: now() + 60 })],
    ['malformed', 'not.a.token'],
    ['empty', ''],
  ])('refuses a token %s', (_why, token) => {
    expect(service().verify(token)).toBeUndefined();
  });

  it('accepts a hand-made token with every claim right (the refusals above are each for their own reason)', () => {
    expect(service().verify(handMade({ sub: 'x', role: 'auditor', iss: 'civic-ledger', exp: now() + 60 }))).toEqual({
      subject: 'x',
      role: 'auditor',
    });
  });

  it('stops accepting a token once it expires, even one it has cached', () => {
    // fast-jwt reads its clock from Date.now, for signing, verifying and its cache: moved here, not waited for.
    jest.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00.000Z') });
    try {
      const tokens = service();
      const token = tokens.sign('TH-000002', 'reviewer', 1);
      expect(tokens.verify(token)).toEqual({ subject: 'TH-000002', role: 'reviewer' });
      jest.setSystemTime(Date.parse('2030-01-01T00:00:00.900Z'));
      expect(tokens.verify(token)).toEqual({ subject: 'TH-000002', role: 'reviewer' });
      jest.setSystemTime(Date.parse('2030-01-01T00:00:01.100Z'));
      expect(tokens.verify(token)).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a token whose payload was altered after signing', () => {
    const [header, , signature] = service().sign('TH-000003', 'resident').split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'TH-000003', role: 'administrator', iss: 'civic-ledger', exp: now() + 60 })).toString(
      'base64url',
    );
    expect(service().verify(`${header}.${payload}.${signature}`)).toBeUndefined();
  });
});
