import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS } from './app-config';

/** The README's configuration table is the council's reference: every setting the platform reads is in it. */
describe('the configuration table of the README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
  const listed = new Set([...section.matchAll(/^\| `([A-Z0-9_]+)`/gm)].map((m) => m[1]));

  it('lists every setting the configuration reads', () => {
    expect(CONFIG_KEYS.filter((key) => !listed.has(key))).toEqual([]);
  });

  it('lists nothing the configuration does not read', () => {
    expect([...listed].filter((key) => !(CONFIG_KEYS as string[]).includes(key))).toEqual([]);
  });
});
