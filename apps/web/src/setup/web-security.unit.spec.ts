import type { FastifyReply } from 'fastify';
import { setSecurityHeaders } from './web-security';

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
});
