import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** A compose service as `docker-compose config` resolves it. */
export interface ComposeService {
  readonly environment?: Record<string, string>;
  readonly volumes?: (string | { type: string; source: string; target: string })[];
  readonly depends_on?: Record<string, { condition: string }> | string[];
  readonly healthcheck?: { test: string[] };
  readonly profiles?: string[];
}
export interface ComposeConfig {
  readonly services: Record<string, ComposeService>;
  readonly volumes?: Record<string, unknown>;
}

/** `npm run -s cli -- secrets init --out <file>`: its JSON answer. */
export async function secretsInit(file: string): Promise<{ ok: boolean; auditKeyId: string; auditPublicKeyPem: string }> {
  const { stdout } = await run('npm', ['run', '-s', 'cli', '--', 'secrets', 'init', '--out', file], { cwd: root });
  return JSON.parse(stdout);
}

/** An env file's variables (KEY=VALUE lines; comments and blank lines skipped). */
export function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/**
 * The project's docker-compose.yml as Debian's `docker-compose config` resolves it (no container
 * engine needed) with `envFile` as the API's env file, read back through Python's YAML (which
 * docker-compose itself runs on).
 */
export async function composeConfig(envFile: string): Promise<ComposeConfig> {
  let yaml: string;
  try {
    ({ stdout: yaml } = await run('docker-compose', ['-f', join(root, 'docker-compose.yml'), 'config'], {
      cwd: root,
      env: { ...process.env, CIVIC_ENV_FILE: envFile },
    }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('docker-compose is missing: apt-get install -y docker-compose');
    throw err;
  }
  const child = execFile('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))']);
  const output = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`python3 yaml exited ${code}`))));
  });
  child.stdin!.end(yaml);
  return JSON.parse(await output);
}
