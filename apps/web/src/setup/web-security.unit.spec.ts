import type { FastifyReply } from 'fastify';
import { newNonce, setSecurityHeaders } from './web-security';

const headersOf = (nonce: string, production: boolean) => {
  const headers: Record<string, string> = {};
  const reply = { header: (name: string, value: string) => ((headers[name] = value), reply) } as unknown as FastifyReply;
  setSecurityHeaders(reply, nonce, production);
  return headers;
};

describe('the security headers of a page', () => {
  it('allow scripts only with the response’s own nonce, and nothing from elsewhere', () => {
    expect(headersOf('n0nce+/=', false)['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self' 'nonce-n0nce+/='; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    );
    expect(headersOf('other', false)['content-security-policy']).toContain("'nonce-other'");
  });

  it('forbid framing and sniffing, and ask for HTTPS only in production', () => {
    const dev = headersOf('n', false);
    expect(dev['x-frame-options']).toBe('DENY');
    expect(dev['x-content-type-options']).toBe('nosniff');
    expect(dev['strict-transport-security']).toBeUndefined();
    expect(headersOf('n', true)['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('give each response its own nonce of 16 random bytes, past a refill of the random bytes too', () => {
    const nonces = Array.from({ length: 1000 }, newNonce);
    expect(new Set(nonces).size).toBe(nonces.length);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
    // Not one byte string repeated: every nonce differs from the one before in most of its bytes.
    const distinct = (a: string, b: string) =>
      [...Buffer.from(a, 'base64')].filter((byte, i) => byte !== Buffer.from(b, 'base64')[i]).length;
    expect(nonces.slice(1).every((nonce, i) => distinct(nonce, nonces[i]) >= 8)).toBe(true);
  });
});
