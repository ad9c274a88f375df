import 'reflect-metadata';
import { ConfigError, loadConfig } from '@civic/config';
import { createApp } from './create-app';

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
  await app.listen(config.PORT, config.HOST);
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
  process.stdout.write(
    `\ncivic-ledger is listening on ${url}\n` +
      `  GraphQL: ${url}/graphql   health: ${url}/health   metrics: ${url}/metrics\n` +
      `  event store: ${config.EVENT_STORE}${config.EVENT_STORE === 'sqlite' ? ` (${config.SQLITE_PATH})` : ''}\n`,
  );
}

bootstrap().catch((err: unknown) => {
  const e = err as { message?: string };
  process.stderr.write(`civic-ledger failed to start: ${e.message ?? String(err)}\n`);
  process.exit(1);
});
