import { randomFillSync } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** Bytes of a nonce (128 bits), and nonces drawn from the system's random source at once. */
const NONCE_BYTES = 16;
const NONCES_AT_ONCE = 256;
const nonceBytes = Buffer.alloc(NONCE_BYTES * NONCES_AT_ONCE);
let nextNonce = NONCES_AT_ONCE;

/**
 * A fresh nonce for the Content-Security-Policy of one response: 16 bytes of the system's
 * random source, each used once. They are drawn 256 nonces at a time, as Node draws its random
 * UUIDs: one call for 16 bytes cost about as much as one for 4 KB.
 */
export function newNonce(): string {
  if (nextNonce === NONCES_AT_ONCE) {
    randomFillSync(nonceBytes);
    nextNonce = 0;
  }
  const at = NONCE_BYTES * nextNonce++;
  return nonceBytes.toString('base64', at, at + NONCE_BYTES);
}

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
