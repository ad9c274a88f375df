/**
 * The one place that loads `openid-client` (v6 is ESM-only). Loaded lazily, at the first staff
 * sign-in, so that nothing that merely starts the API loads it: jest's CommonJS loader cannot
 * load ESM on Node 20 (every in-process test starts the API), while Node itself (20.19+, which
 * `require`s ESM) loads it in the compiled server. The code flow is therefore tested against the
 * compiled server (test/production-sign-in.e2e.spec.ts).
 */
export type OpenidClient = typeof import('openid-client');

let loaded: Promise<OpenidClient> | undefined;

export function loadOpenidClient(): Promise<OpenidClient> {
  loaded ??= import('openid-client');
  return loaded;
}
