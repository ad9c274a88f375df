import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');

/**
 * Compiles the API as `nest build` does (tsconfig.build.json), into a folder of its own under the
 * project (so that a concurrent `npm start` test's dist/ is left alone, and the project root is
 * still found above the compiled files). The folder is named by a digest of what the build reads,
 * so the suites that need the compiled API share one compilation while the sources are unchanged
 * (a compilation is about a minute of CI's time); it is written under another name and renamed
 * into place, so a reader never sees half of one.
 */
export async function compileApi(): Promise<string> {
  const cache = join(root, 'node_modules', '.cache');
  const outDir = join(cache, `civic-api-${sourceDigest()}`);
  if (existsSync(join(outDir, 'apps', 'api', 'src', 'main.js'))) return outDir;
  const building = `${outDir}.${process.pid}`;
  await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', building], { cwd: root });
  try {
    renameSync(building, outDir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another suite renamed its own first
  }
  for (const old of readdirSync(cache)) {
    if (old.startsWith('civic-api-') && join(cache, old) !== outDir && !old.includes('.'))
      rmSync(join(cache, old), { recursive: true, force: true });
  }
  return outDir;
}

/** A digest of every file the build reads: the TypeScript of apps/ and libs/, and the configuration. */
function sourceDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(entry.name)) hash.update(path).update(readFileSync(path));
    }
  };
  for (const dir of ['apps', 'libs']) walk(join(root, dir));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) hash.update(readFileSync(join(root, file)));
  return hash.digest('hex').slice(0, 16);
}

/** A free TCP port on 127.0.0.1 (for a server whose address must be known before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The compiled API running in a child process, as `npm start` runs it (scripts/start-api.js), on `env` alone. */
export async function startCompiledApi(outDir: string, env: Record<string, string>) {
  const launcher =
    `require('tsconfig-paths').register({ baseUrl: ${JSON.stringify(outDir)}, paths: require('./tsconfig.json').compilerOptions.paths });` +
    `require(${JSON.stringify(join(outDir, 'apps', 'api', 'src', 'main.js'))});`;
  const child: ChildProcess = spawn(process.execPath, ['-e', launcher], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const deadline = Date.now() + 60_000;
  while (!out.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the compiled API did not listen:\n${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    output: () => out + err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
