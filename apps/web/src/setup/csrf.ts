import { timingSafeEqual } from 'node:crypto';

/** The hidden field every form posts its token in. */
export const CSRF_FIELD = '_csrf';

/**
 * True when a posted token is the session's own (synchroniser token, compared in constant
 * time). The one check of every form post: the page framework runs it before any handler.
 */
export function csrfMatches(sessionToken: string | undefined, posted: unknown): boolean {
  if (!sessionToken || typeof posted !== 'string') return false;
  const a = Buffer.from(sessionToken);
  const b = Buffer.from(posted);
  return a.length === b.length && timingSafeEqual(a, b);
}
