import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { loadConfig } from '@civic/config';
import { AppModule, SCHEMA_FILE } from '../apps/api/src/app.module';

const dir = mkdtempSync(join(tmpdir(), 'civic-api-'));
let app: INestApplication;
let url: string;

beforeAll(async () => {
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: join(dir, 'api.sqlite') });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
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
    const committed = readFileSync(SCHEMA_FILE, 'utf8').replace(/^#.*\n/gm, '').trim();
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
