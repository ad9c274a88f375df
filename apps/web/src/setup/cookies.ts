/** The cookies of a request header, by name (the first of each name wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A malformed cookie is ignored, as if absent.
    }
  }
  return out;
}

export interface CookieOptions {
  readonly secure: boolean;
  readonly maxAgeSeconds?: number;
  readonly httpOnly?: boolean;
}

/** A Set-Cookie value: always Path=/ and SameSite=Lax; HttpOnly unless told otherwise. */
export function serializeCookie(name: string, value: string, { secure, maxAgeSeconds, httpOnly = true }: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'SameSite=Lax',
    httpOnly ? 'HttpOnly' : '',
    secure ? 'Secure' : '',
    maxAgeSeconds !== undefined ? `Max-Age=${maxAgeSeconds}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
