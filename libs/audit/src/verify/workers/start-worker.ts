import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The audit library's root folder (src). */
const ROOT = join(__dirname, '../..');
const transpiled = new Map<string, Record<string, string>>();

/**
 * A worker's garbage is short-lived (one page of parsed rows): small heaps make it collect
 * early instead of growing, which keeps the process's peak memory near its live memory.
 */
const LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 48 };

/**
 * Starts a worker on one of the library's modules. Compiled, that is a plain `.js` file.
 * Under ts-node or ts-jest the module is TypeScript: registering ts-node in every worker
 * would load the TypeScript compiler into each of them (about 100 MB apiece), so this thread,
 * which has it loaded already, transpiles the modules the worker needs once and the workers
 * run the result. Workers never inherit this thread's flags (`-r ts-node/register` would load
 * the compiler into them all the same).
 */
export function startWorker(module: string, workerData: Record<string, unknown>): Worker {
  const entry = join(ROOT, `${module}${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData, resourceLimits: LIMITS, execArgv: [] });
  const sources = transpiled.get(entry) ?? transpileFrom(entry);
  transpiled.set(entry, sources);
  const bootstrap = `
    const Module = require('node:module');
    const { workerData } = require('node:worker_threads');
    Module._extensions['.ts'] = (m, filename) => m._compile(workerData.sources[filename], filename);
    require(workerData.entry);`;
  return new Worker(bootstrap, { eval: true, workerData: { ...workerData, sources, entry }, resourceLimits: LIMITS, execArgv: [] });
}

/** Every module of the library as CommonJS, by absolute `.ts` path (specs left out). */
export function transpileAuditLibrary(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) out[path] = transpile(path, readFileSync(path, 'utf8'));
    }
  };
  walk(ROOT);
  return out;
}

/** The module at `entry` and every module of the library it imports, as CommonJS, by absolute `.ts` path. */
function transpileFrom(entry: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const todo = [entry]; todo.length > 0;) {
    const path = todo.pop()!;
    if (path in out) continue;
    const source = readFileSync(path, 'utf8');
    out[path] = transpile(path, source);
    for (const [, relative] of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(path), relative);
      todo.push(existsSync(`${target}.ts`) ? `${target}.ts` : join(target, 'index.ts'));
    }
  }
  return out;
}

/** SWC, where it is installed (it is what `npm run cli` compiles with): a hundredth of the TypeScript compiler's time per module. */
let swc: typeof import('@swc/core') | null | undefined;

function transpile(path: string, source: string): string {
  if (swc === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      swc = require('@swc/core') as typeof import('@swc/core');
    } catch {
      swc = null;
    }
  }
  if (swc)
    return swc.transformSync(source, {
      filename: path,
      swcrc: false,
      configFile: false,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }).code;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  return ts.transpileModule(source, {
    fileName: path,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}
