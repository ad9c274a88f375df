import { createHmac } from 'node:crypto';
import { TokenService } from './token.service';

const SECRET = 'a-test-secret-of-enough-length-0123456789';
const service = (secret = SECRET, previous?: string) => new TokenService(secret, { JWT_SECRET_PREVIOUS: previous });

/** A token signed by hand, so that each claim can be wrong on its own. */
function handMade(payload: Record<string, unknown>, { secret = SECRET, alg = 'HS256' } = {}): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg, typ: 'JWT' })}.${part(payload)}`;
  const signature = alg === 'none' ? '' : createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${signature}`;
}
const now = () => Math.floor(Date.now() / 1000);
const claims = { sub: 'TH-000001', role: 'resident', sid: 'session-1' };
const good = { ...claims, iss: 'civic-ledger' };

describe('TokenService', () => {
  it('after a rotation, accepts a token signed with JWT_SECRET_PREVIOUS and signs new ones with JWT_SECRET alone', () => {
    const NEW = 'the-secret-that-replaced-it-0123456789';
    const old = service().sign(claims, Date.now() + 60_000);
    expect(service(NEW).verify(old)).toBeUndefined();
    const rotated = service(NEW, SECRET);
    expect(rotated.verify(old)).toEqual(claims);
    const fresh = rotated.sign(claims, Date.now() + 60_000);
    expect(service(NEW).verify(fresh)).toEqual(claims);
    expect(service().verify(fresh)).toBeUndefined();
    // Once the previous secret is dropped, what it signed stops.
    expect(service(NEW).verify(old)).toBeUndefined();
  });

  it('verifies what it signs, again and again (from its cache)', () => {
    const tokens = service();
    const token = tokens.sign(claims, Date.now() + 60_000);
    expect(tokens.verify(token)).toEqual(claims);
    expect(tokens.verify(token)).toEqual(claims);
    expect(service().verify(token)).toEqual(claims);
  });

  it.each([
    ['signed with another key', handMade({ ...good, exp: now() + 60 }, { secret: 'other' })],
    ['unsigned (alg none)', handMade({ ...good, exp: now() + 60 }, { alg: 'none' })],
    ['from another issuer', handMade({ ...good, iss: 'elsewhere', exp: now() + 60 })],
    ['expired', handMade({ ...good, exp: now() - 5 })],
    ['without an expiry', handMade(good)],
    ['without a subject', handMade({ ...good, sub: undefined, exp: now() + 60 })],
    ['without a session', handMade({ ...good, sid: undefined, exp: now() + 60 })],
    ['malformed', 'not.a.token'],
    ['empty', ''],
  ])('refuses a token %s', (_why, token) => {
    expect(service().verify(token)).toBeUndefined();
  });

  it('accepts a hand-made token with every claim right (the refusals above are each for their own reason)', () => {
    expect(service().verify(handMade({ ...good, exp: now() + 60 }))).toEqual(claims);
  });

  it('stops accepting a token once it expires, even one it has cached', () => {
    // fast-jwt reads its clock from Date.now, for signing, verifying and its cache: moved here, not waited for.
    jest.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00.000Z') });
    try {
      const tokens = service();
      const token = tokens.sign(claims, Date.now() + 1000);
      expect(tokens.verify(token)).toEqual(claims);
      jest.setSystemTime(Date.parse('2030-01-01T00:00:00.900Z'));
      expect(tokens.verify(token)).toEqual(claims);
      jest.setSystemTime(Date.parse('2030-01-01T00:00:01.100Z'));
      expect(tokens.verify(token)).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a token whose payload was altered after signing', () => {
    const [header, , signature] = service()
      .sign(claims, Date.now() + 60_000)
      .split('.');
    const payload = Buffer.from(JSON.stringify({ ...good, role: 'administrator', exp: now() + 60 })).toString('base64url');
    expect(service().verify(`${header}.${payload}.${signature}`)).toBeUndefined();
  });
});
