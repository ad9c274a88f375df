/** `npm run schema`: regenerates apps/api/schema.graphql from the code (commit the result). */
import { loadConfig } from '@civic/config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const app = await createApp(
    loadConfig({ NODE_ENV: 'development', SQLITE_PATH: ':memory:', READ_MODEL_PATH: ':memory:', PERSONAL_DATA_PATH: ':memory:' }),
    {
      quiet: true,
    },
  );
  await app.init();
  await app.close();
  process.stdout.write('apps/api/schema.graphql written\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
