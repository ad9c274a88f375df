/**
 * `npm run codegen`: writes the web pages' operation types (apps/web/src/graphql/generated.ts);
 * commit the result. With `--check`, writes nothing and fails when the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { GENERATED, operationTypes } from './operation-types';

async function main(): Promise<void> {
  const text = await operationTypes();
  const name = relative(process.cwd(), GENERATED);
  if (process.argv.includes('--check')) {
    const current = (() => {
      try {
        return readFileSync(GENERATED, 'utf8');
      } catch {
        return '';
      }
    })();
    if (current === text) return void process.stdout.write(`${name} is up to date\n`);
    process.stderr.write(`${name} is stale: run npm run codegen and commit it\n`);
    process.exit(1);
  }
  writeFileSync(GENERATED, text);
  process.stdout.write(`${name} written\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
