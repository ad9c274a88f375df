import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { loadConfig } from '@civic/config';
import type { AuthClock } from '../../apps/api/src/auth/auth-clock';
import { createApp } from '../../apps/api/src/create-app';
import type { WebOptions } from '@civic/web';

export type Gql = { data?: any; errors?: { message: string; extensions: { code: string } }[] };

/** A small GraphQL client of the API at `url`, with the development sign-in. */
export function graphqlClient(url: string) {
  const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Gql> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  const signIn = async (role: string, subject: string): Promise<string> =>
    (await gql(`mutation($r: Role!, $s: String!) { devSignIn(role: $r, subject: $s) { token } }`, { r: role, s: subject })).data.devSignIn
      .token;
  return { gql, signIn };
}

/**
 * A running API on a fresh SQLite file (or on the files of `options.dir`, to restart one), and a
 * small GraphQL client for it. Quiet, unless `logDestination` is given: then its log lines (at
 * `env.LOG_LEVEL`) go there.
 */
export async function startApi(
  env: Record<string, string> = {},
  options: { dir?: string; authClock?: AuthClock; web?: WebOptions; logDestination?: DestinationStream } = {},
) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'civic-e2e-'));
  const app: INestApplication = await createApp(
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SQLITE_PATH: join(dir, 'events.sqlite'), ...env }),
    {
      ...(options.logDestination ? { logDestination: options.logDestination } : { quiet: true }),
      authClock: options.authClock,
      web: options.web,
    },
  );
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const { gql, signIn } = graphqlClient(url);
  let stopped = false;
  /** Stops the server (once); its files are removed unless `keepFiles` (they go with the OS temp dir). */
  const stop = async (options: { keepFiles?: boolean } = {}) => {
    if (!stopped) await app.close();
    stopped = true;
    if (!options.keepFiles) rmSync(dir, { recursive: true, force: true });
  };
  return { app, url, gql, signIn, stop, dir, sqlitePath: join(dir, 'events.sqlite') };
}

const day = 24 * 3600 * 1000;

/** A schedule whose phases may all start now, with voting closing in `closesInDays`. */
export const openSchedule = (closesInDays = 10) => ({
  proposalsOpenAt: new Date(Date.now() - 30 * day).toISOString(),
  reviewStartsAt: new Date(Date.now() - 20 * day).toISOString(),
  votingOpensAt: new Date(Date.now() - 10 * day).toISOString(),
  votingClosesAt: new Date(Date.now() + closesInDays * day).toISOString(),
});
