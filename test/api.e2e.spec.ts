import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { loadConfig } from '@civic/config';
import { SCHEMA_FILE } from '../apps/api/src/app.module';
import { createApp } from '../apps/api/src/create-app';

const dir = mkdtempSync(join(tmpdir(), 'civic-api-'));
let app: INestApplication;
let url: string;

beforeAll(async () => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: join(dir, 'api.sqlite') });
  app = await createApp(config, { quiet: true });
  await app.listen(0, '127.0.0.1');
  url = await app.getUrl();
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function graphql(query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
}

describe('the API over HTTP', () => {
  it('answers /health with the event store up', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up', head: 'start' } } });
  });

  it('answers a version query over GraphQL', async () => {
    const { status, body } = await graphql('{ version { version eventStore headPosition } }');
    expect(status).toBe(200);
    expect(body.data.version).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), eventStore: 'sqlite', headPosition: 'start' });
  });

  it('rejects a query for a field that does not exist with a validation code', async () => {
    const { status, body } = await graphql('{ nope }');
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('blocks cross-site GET requests that could be simple requests (CSRF prevention)', async () => {
    const res = await fetch(`${url}/graphql?query=${encodeURIComponent('{ version { version } }')}`);
    expect(res.status).toBe(400);
  });

  it('serves no landing page that would load code from the internet', async () => {
    const res = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toMatch(/cdn|embeddable-sandbox|apollographql\.com/i);
  });

  it('has a committed schema.graphql that matches the code', () => {
    const { schema } = app.get(GraphQLSchemaHost);
    const committed = readFileSync(SCHEMA_FILE, 'utf8')
      .replace(/^#.*\n/gm, '')
      .trim();
    expect(committed).toBe(printSchema(lexicographicSortSchema(schema)).trim());
  });
});

describe('start-up configuration', () => {
  const run = promisify(execFile);
  const start = (env: Record<string, string>) =>
    run(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, ...env },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );

  it('stops with a message naming the setting when EVENT_STORE is unknown', async () => {
    const { code, stderr } = await start({ EVENT_STORE: 'mongodb' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/EVENT_STORE="mongodb"/);
  }, 60_000);

  it('stops with a message naming the setting when PORT is not a port', async () => {
    const { code, stderr } = await start({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT="eighty"/);
  }, 60_000);
});

describe('who may do what, and limits', () => {
  const signIn = async (role: string, subject: string) => {
    const { body } = await graphql(`mutation { devSignIn(role: ${role}, subject: "${subject}") { token role subject } }`);
    return body.data.devSignIn.token as string;
  };

  it('signs in for development, and `me` tells who the token names', async () => {
    const token = await signIn('reviewer', 'cllr-ahmed');
    const { body } = await graphql('{ me { subject role } }', { authorization: `Bearer ${token}` });
    expect(body.data.me).toEqual({ subject: 'cllr-ahmed', role: 'reviewer' });
  });

  it('denies an operation to a caller without a token', async () => {
    const { body } = await graphql('{ me { subject } }');
    expect(body.errors?.[0].extensions.code).toBe('AUTH.UNAUTHENTICATED');
    expect(body.data).toBeNull();
  });

  it('rejects a forged or tampered token with 401', async () => {
    const token = await signIn('resident', 'r1');
    const [h, p, s] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'administrator' }),
    ).toString('base64url');
    for (const bad of [`${h}.${forgedPayload}.${s}`, 'not-a-jwt', `${token}x`]) {
      const { status, body } = await graphql('{ version { version } }', { authorization: `Bearer ${bad}` });
      expect(status).toBe(401);
      expect(body.errors?.[0].extensions.code).toBe('AUTH.UNAUTHENTICATED');
    }
  });

  it('refuses queries deeper, wider or longer than the limits before any resolver runs', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: version { version }`).join(' ');
    const { body } = await graphql(`{ ${aliases} }`);
    expect(body.errors?.[0].message).toMatch(/alias/i);
    expect(body.data).toBeUndefined();
    const tokens = `{ version { ${'version '.repeat(3000)} } }`;
    const long = await graphql(tokens);
    expect(long.body.errors?.[0].message).toMatch(/token/i);
  });

  it('refuses a request body over the size limit', async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ version { version } }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
  });

  it('serves Prometheus metrics, counting GraphQL operations', async () => {
    await graphql('{ version { version } }');
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/civic_graphql_operations_total\{type="query",outcome="ok"\} \d+/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });
});

describe('rate limiting per client', () => {
  it('answers RATE_LIMITED once a client passes its budget, and counts each client apart', async () => {
    const limited = await createApp(
      // Files of its own: the read models beside the first app's store are that app's (one writer each).
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        RATE_LIMIT_PER_MINUTE: '5',
        SQLITE_PATH: join(dir, 'limited', 'limited.sqlite'),
      }),
      { quiet: true },
    );
    await limited.listen(0, '127.0.0.1');
    try {
      const base = await limited.getUrl();
      const ask = (headers: Record<string, string> = {}) =>
        fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: '{ version { version } }' }),
        }).then((r) => r.json() as Promise<{ errors?: { extensions: { code: string } }[] }>);
      const signIn = (await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { devSignIn(role: resident, subject: "r-9") { token } }' }),
      }).then((r) => r.json())) as { data: { devSignIn: { token: string } } };
      const codes: (string | undefined)[] = [];
      for (let i = 0; i < 6; i++) codes.push((await ask()).errors?.[0].extensions.code);
      expect(codes.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
      expect(codes.slice(4)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
      // Another client (a signed-in subject) has its own budget.
      expect((await ask({ authorization: `Bearer ${signIn.data.devSignIn.token}` })).errors).toBeUndefined();
    } finally {
      await limited.close();
    }
  });
});
