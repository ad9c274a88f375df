import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** A fresh nonce for the Content-Security-Policy of one response. */
export const newNonce = (): string => randomBytes(16).toString('base64');

/**
 * Every security header of a page, set in this one place: a strict CSP (scripts and styles
 * only from this origin, scripts only with this response's nonce), no framing, no sniffing,
 * no referrer to other sites, HSTS outside development and tests.
 */
export function setSecurityHeaders(reply: FastifyReply, nonce: string, production: boolean): void {
  reply.header('content-security-policy', CSP_BEFORE_NONCE + nonce + CSP_AFTER_NONCE);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'same-origin');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (production) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

/** The policy around its nonce, joined once (every page sends it). */
const CSP_BEFORE_NONCE = "default-src 'self'; script-src 'self' 'nonce-";
const CSP_AFTER_NONCE =
  "'; " +
  [
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
