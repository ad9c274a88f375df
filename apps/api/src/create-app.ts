import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PostgresPersonalDataVault, PostgresVotingGate, SqlitePersonalDataVault } from '@civic/application';
import { openSessionStore, openSignInStores, purposeKey, purposeKeyRing } from '@civic/auth';
import type { AppConfig } from '@civic/config';
import { holdWriterLocks, loadSecrets, openEventStore } from '@civic/platform';
import { mountWeb, webSocketTokenOf, type WebOptions } from '@civic/web';
import { AppModule } from './app.module';
import { inProcessGraphql } from './graphql/in-process-graphql';
import { openNotificationStore } from './notifications/open-notification-store';
import type { AuthClock } from './auth/auth-clock';
import { auditTrail } from './audit-log/audit-trail';
import { TRUSTED_PROXIES } from './auth/graphql-throttler.guard';
import { jwtSecrets } from './auth/jwt-secrets';
import { createLogger, logRequests, PinoNestLogger, requestId } from './observability/logging';

/**
 * Builds the API as `npm start` runs it (tests use the same), without listening yet. Its log
 * lines go to stdout, or to `logDestination` (tests read them); `quiet` writes none.
 */
export async function createApp(
  config: AppConfig,
  options: { quiet?: boolean; logDestination?: DestinationStream; authClock?: AuthClock; web?: WebOptions } = {},
): Promise<INestApplication> {
  const logger = createLogger(options.quiet ? 'silent' : config.LOG_LEVEL, options.logDestination);
  // One process writes this node's files: a second API on them is refused here, naming the first.
  const locks = holdWriterLocks(config, 'api');
  try {
    return await build(config, logger, options, locks.release);
  } catch (err) {
    locks.release();
    throw err;
  }
}

async function build(
  config: AppConfig,
  logger: ReturnType<typeof createLogger>,
  options: { quiet?: boolean; authClock?: AuthClock; web?: WebOptions },
  releaseLocks: () => void,
): Promise<INestApplication> {
  const secrets = loadSecrets(config);
  const trail = auditTrail(config, await openEventStore(config), secrets.auditSigningKey, (err) =>
    logger.error({ err }, 'audit checkpointer failed'),
  );
  const store = trail.store;
  if (config.PERSONAL_DATA_PATH !== ':memory:') mkdirSync(dirname(config.PERSONAL_DATA_PATH), { recursive: true });
  const personalData =
    config.VAULT_STORE === 'postgres'
      ? new PostgresPersonalDataVault({ connectionString: config.VAULT_DATABASE_URL, schema: config.VAULT_SCHEMA })
      : new SqlitePersonalDataVault({ path: config.PERSONAL_DATA_PATH });
  if (personalData instanceof PostgresPersonalDataVault) await personalData.ready();
  // API nodes sharing a PostgreSQL store order ballots against the close of voting with its advisory locks.
  const votingGate =
    config.EVENT_STORE === 'postgres'
      ? new PostgresVotingGate({ connectionString: config.DATABASE_URL, namespace: config.DATABASE_SCHEMA })
      : undefined;
  if (config.SESSIONS_PATH !== ':memory:') mkdirSync(dirname(config.SESSIONS_PATH), { recursive: true });
  const sessions = await openSessionStore(config);
  // Challenges follow the sessions (when the vault is shared too); the contact index and poll cards are kept beside the vault's keys (erased with them).
  const { signInCodes, contacts, pollCards } = await openSignInStores(config, {
    hashKey: purposeKey(secrets.keyMasterSecret, 'contact-index/email'),
    sealKey: purposeKey(secrets.keyMasterSecret, 'contact-index/reference'),
  });
  const notifications = await openNotificationStore(config);
  const upgradeToken: { of?: (headers: { cookie?: string; origin?: string; host?: string }) => Promise<string | undefined> } = {};
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      config,
      store,
      secrets,
      personalData,
      votingGate,
      auditTrail: trail,
      sessions,
      contacts,
      signInCodes,
      pollCards,
      notifications,
      purposeKeys: (purpose) => purposeKeyRing(jwtSecrets(secrets.jwtSecret, config), purpose),
      authClock: options.authClock,
      upgradeToken,
      // Released last, after the read models and the store have stopped.
      release: [
        async () => personalData.close(),
        async () => votingGate?.end(),
        () => sessions.close(),
        () => signInCodes.close(),
        () => contacts.close(),
        () => pollCards.close(),
        () => notifications.close(),
        async () => releaseLocks(),
      ],
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
  // The residents' pages, on the same server and origin as /graphql (apps/web).
  const fastify = app.getHttpAdapter().getInstance();
  app.useGlobalFilters(mountWeb(fastify, config, inProcessGraphql(app), options.web));
  upgradeToken.of = (headers) => webSocketTokenOf(fastify, headers);
  return app;
}
