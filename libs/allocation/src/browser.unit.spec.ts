import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** Every module the file imports, transitively, within the library; and the outside ones it names. */
function importGraph(entry: string): { files: Set<string>; outside: Set<string> } {
  const files = new Set<string>();
  const outside = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.endsWith('.ts') ? spec : `${spec}.ts`));
      else outside.add(spec);
    }
  };
  visit(entry);
  return { files, outside };
}

describe('the browser entry of @civic/allocation', () => {
  it('imports nothing of Node, so a browser can bundle it to re-run a certificate', () => {
    const { files, outside } = importGraph(join(__dirname, 'browser.ts'));
    const node = [...outside].filter((spec) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]));
    expect(node).toEqual([]);
    expect(files.size).toBeGreaterThan(10);
    expect([...outside].sort()).toEqual(['@noble/hashes/sha2', '@noble/hashes/utils']);
  });

  it('is what the Node entry exports, but the file reader', async () => {
    const browser = await import('./browser');
    const node = await import('./index');
    expect(Object.keys(node).sort()).toEqual([...Object.keys(browser), 'readPabulibFile'].sort());
  });
});
