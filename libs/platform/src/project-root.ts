import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository's root: the nearest folder above this file holding nest-cli.json. The API runs
 * from its sources (tests, ts-node) and compiled into dist/ (`npm start`), so files that ship
 * beside the code (the demo's data, the committed schema) are found from the root, never from
 * `__dirname`.
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nest-cli.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No project root above ${from}`);
  }
}
