import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PostgresVotingGate, SqlitePersonalDataVault } from '@civic/application';
import type { AppConfig } from '@civic/config';
import { loadSecrets, openEventStore } from '@civic/platform';
import { AppModule } from './app.module';
import { auditTrail } from './audit-log/audit-trail';
import { TRUSTED_PROXIES } from './auth/graphql-throttler.guard';
import { createLogger, logRequests, PinoNestLogger, requestId } from './observability/logging';

/**
 * Builds the API as `npm start` runs it (tests use the same), without listening yet. Its log
 * lines go to stdout, or to `logDestination` (tests read them); `quiet` writes none.
 */
export async function createApp(
  config: AppConfig,
  options: { quiet?: boolean; logDestination?: DestinationStream } = {},
): Promise<INestApplication> {
  const logger = createLogger(options.quiet ? 'silent' : config.LOG_LEVEL, options.logDestination);
  const secrets = loadSecrets(config);
  const trail = auditTrail(config, await openEventStore(config), secrets.auditSigningKey, (err) =>
    logger.error({ err }, 'audit checkpointer failed'),
  );
  const store = trail.store;
  if (config.PERSONAL_DATA_PATH !== ':memory:') mkdirSync(dirname(config.PERSONAL_DATA_PATH), { recursive: true });
  const personalData = new SqlitePersonalDataVault({ path: config.PERSONAL_DATA_PATH });
  // API nodes sharing a PostgreSQL store order ballots against the close of voting with its advisory locks.
  const votingGate =
    config.EVENT_STORE === 'postgres'
      ? new PostgresVotingGate({ connectionString: config.DATABASE_URL, namespace: config.DATABASE_SCHEMA })
      : undefined;
  const app = await NestFactory.create<NestFastifyApplication>(
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
    // A request body over the limit is refused (413) before it is parsed. Client addresses are
    // taken from X-Forwarded-For only when a proxy on this host forwards the request.
    new FastifyAdapter({
      bodyLimit: config.MAX_BODY_BYTES,
      trustProxy: TRUSTED_PROXIES,
      logger: false,
      genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => requestId(req.headers['x-request-id']),
    }),
    { abortOnError: false, logger: options.quiet ? false : new PinoNestLogger(logger) },
  );
  logRequests(app.getHttpAdapter().getInstance(), logger);
  return app;
}
