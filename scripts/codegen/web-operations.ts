import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@civic/platform';
import { registeredOperations } from '../../apps/web/src/graphql/operation';

/**
 * Loads every module of the web app, so every operation it declares is registered, in whatever
 * file it sits (`*.operations.ts` beside the pages that use it, or a route module).
 */
export function loadWebOperations(): ReturnType<typeof registeredOperations> {
  const source = join(projectRoot(), 'apps', 'web', 'src');
  for (const file of readdirSync(source, { recursive: true }) as string[]) {
    if (/\.ts$/.test(file) && !/\.spec\.ts$|generated\.ts$/.test(file) && !/assets-build|index\.ts$/.test(file))
      require(join(source, file));
  }
  return registeredOperations();
}
