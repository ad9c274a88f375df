import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The audit library's root folder (src). */
const ROOT = join(__dirname, '../..');
let transpiled: Record<string, string> | undefined;

/**
 * A worker's garbage is short-lived (one page of parsed rows): small heaps make it collect
 * early instead of growing, which keeps the process's peak memory near its live memory.
 */
const LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };

/**
 * Starts a worker on one of the library's modules. Compiled, that is a plain `.js` file.
 * Under ts-node or ts-jest the module is TypeScript: registering ts-node in every worker
 * would load the TypeScript compiler into each of them (about 100 MB apiece), so this thread,
 * which has it loaded already, transpiles the library once and the workers run the result.
 */
export function startWorker(module: string, workerData: Record<string, unknown>): Worker {
  const entry = join(ROOT, `${module}${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData, resourceLimits: LIMITS });
  transpiled ??= transpileAuditLibrary();
  const bootstrap = `
    const Module = require('node:module');
    const { workerData } = require('node:worker_threads');
    Module._extensions['.ts'] = (m, filename) => m._compile(workerData.sources[filename], filename);
    require(workerData.entry);`;
  return new Worker(bootstrap, { eval: true, workerData: { ...workerData, sources: transpiled, entry }, resourceLimits: LIMITS });
}

/** Every module of the library as CommonJS, by absolute `.ts` path (specs left out). */
export function transpileAuditLibrary(): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        out[path] = ts.transpileModule(readFileSync(path, 'utf8'), {
          fileName: path,
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
      }
    }
  };
  walk(ROOT);
  return out;
}
