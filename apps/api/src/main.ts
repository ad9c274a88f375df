import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { ConfigError, loadConfig } from '@civic/config';
import type { EventStore } from '@civic/event-store';
import { createApp } from './create-app';
import { sampleResidentOnRegister } from './demo/sample-resident';
import { seedDemo, type DemoSummary } from './demo/seed-demo';
import { Drain } from './lifecycle/drain';
import { EVENT_STORE } from './tokens';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw err;
  }
  const app = await createApp(config);
  const drain = new Drain();
  drain.install(app.getHttpAdapter().getInstance());
  await app.init();
  let demo: DemoSummary | undefined;
  if (config.SEED_DEMO && (await app.get<EventStore>(EVENT_STORE).headPosition()) === 'start') {
    process.stdout.write('Empty store: seeding the demo borough (a real election replayed), a few seconds…\n');
    demo = await seedDemo(app);
  }
  // Asked of the register on every start: the resident seeded may since have been erased.
  const sample = config.NODE_ENV !== 'production' ? await sampleResidentOnRegister(app) : undefined;
  stopGracefullyOn(app, drain, ['SIGTERM', 'SIGINT']);
  await app.listen(config.PORT, config.HOST);
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
  process.stdout.write(
    `\ncivic-ledger is listening on ${url}\n` +
      `  residents' pages: ${url}/\n` +
      `  GraphQL: ${url}/graphql   health: ${url}/health   metrics: ${url}/metrics\n` +
      `  event store: ${config.EVENT_STORE}${config.EVENT_STORE === 'sqlite' ? ` (${config.SQLITE_PATH})` : ''}\n` +
      (demo
        ? `  demo: ${demo.residents} residents in 20 wards; last year's results (a real election replayed) published and in delivery;\n` +
          `        this year's fund open for voting in every pot (${demo.ballots} ballots so far); next year's open for proposals\n`
        : '') +
      (config.NODE_ENV !== 'production'
        ? `\nSign in (development only), then send the token as "Authorization: Bearer <token>":\n` +
          `  curl -s ${url}/graphql -H 'content-type: application/json' \\\n` +
          `    -d '{"query":"mutation { devSignIn(role: resident, subject: \\"${sample ?? '<a reference on the register>'}\\") { token } }"}'\n` +
          `  roles: resident (subject: a register reference), reviewer, councillor, administrator, auditor\n` +
          (sample ? `  in the demo, sign in as resident ${sample} (Bow West, has not voted yet)\n` : '')
        : ''),
  );
}

/**
 * Graceful shutdown: first the server drains (answers what was sent to it, closing each
 * connection as it answers, until quiet), then it stops listening, then the application closes in
 * order — the audit trail's last checkpoint, the read models stopped with their checkpoint
 * stored, the store drained and closed, the vault last. A second signal stops at once.
 */
function stopGracefullyOn(app: INestApplication, drain: Drain, signals: NodeJS.Signals[]): void {
  let stopping = false;
  for (const signal of signals) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      void (async () => {
        try {
          await drain.drain();
          await app.getHttpAdapter().close();
          await app.close();
          process.exit(0);
        } catch (err) {
          process.stderr.write(`civic-ledger did not stop cleanly: ${(err as Error).message}\n`);
          process.exit(1);
        }
      })();
    });
  }
}

bootstrap().catch((err: unknown) => {
  const e = err as { code?: unknown; message?: string };
  const code = typeof e.code === 'string' ? ` (${e.code})` : '';
  process.stderr.write(`civic-ledger failed to start${code}: ${e.message ?? String(err)}\n`);
  process.exit(1);
});
