import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@civic/config';
import { loadSecrets, openEventStore } from '@civic/platform';
import { AppModule } from './app.module';

/** Builds the API as `npm start` runs it (tests use the same), without listening yet. */
export async function createApp(config: AppConfig, options: { quiet?: boolean } = {}): Promise<INestApplication> {
  const store = await openEventStore(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, store, secrets: loadSecrets(config) }), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
    logger: options.quiet ? false : undefined,
  });
  if (!options.quiet) app.useLogger(app.get(Logger));
  // A request body over the limit is refused before it is parsed.
  app.useBodyParser('json', { limit: config.MAX_BODY_BYTES });
  app.set('trust proxy', 'loopback');
  app.enableShutdownHooks();
  return app;
}
