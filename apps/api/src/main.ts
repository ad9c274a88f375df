import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@civic/config';
import { AppModule } from './app.module';

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
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['error', 'warn', 'log'] });
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  process.stdout.write(
    `civic-ledger is listening on ${url}\n` +
      `  GraphQL: ${url}/graphql   health: ${url}/health\n` +
      `  event store: ${config.EVENT_STORE}${config.EVENT_STORE === 'sqlite' ? ` (${config.SQLITE_PATH})` : ''}\n`,
  );
}

bootstrap().catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  process.stderr.write(`civic-ledger failed to start: ${e.message ?? String(err)}\n`);
  process.exit(1);
});
