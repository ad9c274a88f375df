import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createLogger, logRequests, PinoNestLogger, requestId } from './logging';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

async function server(level: string) {
  const { lines, stream } = capture();
  const app = Fastify({ genReqId: (req) => requestId(req.headers['x-request-id']) });
  logRequests(app, createLogger(level, stream));
  app.post('/graphql', async () => ({ data: { ok: true } }));
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  await app.ready();
  return { app, lines };
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request logs', () => {
  it('writes one JSON line per request, with its id, method, path, status and time, and never its headers', async () => {
    const { app, lines } = await server('info');
    const res = await app.inject({
      method: 'POST',
      url: '/graphql?op=x',
      headers: { authorization: 'Bearer secret-token', cookie: 'session=secret', 'x-request-id': 'trace-42' },
      payload: { query: '{ a }' },
    });
    expect(res.headers['x-request-id']).toBe('trace-42');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'request completed', reqId: 'trace-42', method: 'POST', path: '/graphql', status: 200 }),
    ]);
    expect(typeof lines[0].ms).toBe('number');
    expect(JSON.stringify(lines)).not.toMatch(/secret/);
    await app.close();
  });

  it('logs server errors at error level and leaves probes out', async () => {
    const { app, lines } = await server('info');
    await app.inject({ method: 'GET', url: '/health' });
    await app.inject({ method: 'GET', url: '/boom' });
    expect(lines.map((l) => [l.msg, l.level, l.status])).toEqual([['request failed', 50, 500]]);
    await app.close();
  });

  it('makes an id when the caller sends none or a malformed one, and logs nothing below info', async () => {
    const { app, lines } = await server('warn');
    const plain = await app.inject({ method: 'POST', url: '/graphql', payload: {} });
    const bad = await app.inject({ method: 'POST', url: '/graphql', payload: {}, headers: { 'x-request-id': 'a b\nc' } });
    expect(plain.headers['x-request-id']).toMatch(UUID_V7);
    expect(bad.headers['x-request-id']).toMatch(UUID_V7);
    expect(lines).toEqual([]);
    await app.close();
  });
});

describe('Nest messages through pino', () => {
  it('keeps the level, the context and the error', () => {
    const { lines, stream } = capture();
    const nest = new PinoNestLogger(createLogger('info', stream));
    nest.log('mapped', 'RouterExplorer');
    nest.debug('hidden', 'Anything');
    nest.error('failed', 'Error: x\n    at y', 'ExceptionHandler');
    nest.warn(new Error('careful'), 'Checkpointer');
    expect(lines.map((l) => [l.level, l.msg, l.context])).toEqual([
      [30, 'mapped', 'RouterExplorer'],
      [50, 'failed', 'ExceptionHandler'],
      [40, 'careful', 'Checkpointer'],
    ]);
    expect(lines[1].stack).toContain('at y');
  });
});

describe('request ids', () => {
  it('are unique across processes (API nodes), not a counter each process starts again', () => {
    const ids = (): string[] =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '-r',
            'ts-node/register/transpile-only',
            '-e',
            `const { requestId } = require('./apps/api/src/observability/logging');
             console.log(JSON.stringify(Array.from({ length: 1000 }, () => requestId(undefined))));`,
          ],
          { cwd: join(__dirname, '../../../..'), encoding: 'utf8' },
        ),
      );
    const [a, b] = [ids(), ids()];
    expect(new Set([...a, ...b]).size).toBe(2000);
    expect(a.every((id) => UUID_V7.test(id))).toBe(true);
  }, 60_000);
});
