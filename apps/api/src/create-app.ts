import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { PostgresVotingGate, SqlitePersonalDataVault } from '@civic/application';
import type { AppConfig } from '@civic/config';
import { loadSecrets, openEventStore } from '@civic/platform';
import { AppModule } from './app.module';
import { auditTrail } from './audit-log/audit-trail';

/** Builds the API as `npm start` runs it (tests use the same), without listening yet. */
export async function createApp(config: AppConfig, options: { quiet?: boolean } = {}): Promise<INestApplication> {
  const secrets = loadSecrets(config);
  const trail = auditTrail(config, await openEventStore(config), secrets.auditSigningKey, (err) =>
    process.stderr.write(`audit checkpointer: ${(err as Error).message}\n`),
  );
  const store = trail.store;
  if (config.PERSONAL_DATA_PATH !== ':memory:') mkdirSync(dirname(config.PERSONAL_DATA_PATH), { recursive: true });
  const personalData = new SqlitePersonalDataVault({ path: config.PERSONAL_DATA_PATH });
  // API nodes sharing a PostgreSQL store order ballots against the close of voting with its advisory locks.
  const votingGate =
    config.EVENT_STORE === 'postgres'
      ? new PostgresVotingGate({ connectionString: config.DATABASE_URL, namespace: config.DATABASE_SCHEMA })
      : undefined;
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      config,
      store,
      secrets,
      personalData,
      votingGate,
      auditTrail: trail,
      // Released last, after the read models and the store have stopped.
      release: [async () => personalData.close(), async () => votingGate?.end()],
    }),
    {
      bufferLogs: true,
      abortOnError: false,
      bodyParser: false,
      logger: options.quiet ? false : undefined,
    },
  );
  if (!options.quiet) app.useLogger(app.get(Logger));
  // A request body over the limit is refused before it is parsed.
  app.useBodyParser('json', { limit: config.MAX_BODY_BYTES });
  app.set('trust proxy', 'loopback');
  app.enableShutdownHooks();
  return app;
}
