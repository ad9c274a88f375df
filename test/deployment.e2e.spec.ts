import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '@civic/config';
import { composeConfig, parseEnvFile, secretsInit, type ComposeConfig, type ComposeService } from './support/compose';

/**
 * The deployment as `docker compose up` starts it, checked without a container engine: the
 * secrets come from the env file `secrets init` makes, each API service gets every setting that
 * production requires, keeps every stateful file on a named volume, waits only for its store,
 * and declares a health check.
 */
jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'civic-deploy-'));
const envFile = join(dir, '.env');
let compose: ComposeConfig;
let initAnswer: Awaited<ReturnType<typeof secretsInit>>;
beforeAll(async () => {
  initAnswer = await secretsInit(envFile);
  compose = await composeConfig(envFile);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const API_SERVICES = { api: 'sqlite', 'api-postgres': 'postgres', 'api-eventstoredb': 'eventstoredb' } as const;
const dependencies = (service: ComposeService) =>
  Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});

describe('secrets init', () => {
  it('writes the production secrets, readable by the owner only, with the audit key pair; never twice', async () => {
    expect(initAnswer).toMatchObject({ ok: true, auditKeyId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(initAnswer.auditPublicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const secrets = parseEnvFile(readFileSync(envFile, 'utf8'));
    expect(Object.keys(secrets)).toEqual(
      expect.arrayContaining(['JWT_SECRET', 'KEY_MASTER_SECRET', 'AUDIT_SIGNING_KEY', 'COMPOSE_PROFILES']),
    );
    const before = readFileSync(envFile, 'utf8');
    await expect(secretsInit(envFile)).rejects.toMatchObject({ stdout: expect.stringContaining('SECRETS.EXISTS') });
    expect(readFileSync(envFile, 'utf8')).toBe(before);
  });
});

describe('docker-compose.yml', () => {
  it.each(Object.entries(API_SERVICES))('%s gets every setting production requires, from the env file and the service', (name) => {
    const environment = compose.services[name].environment!;
    const config = loadConfig(environment);
    expect(config.NODE_ENV).toBe('production');
    expect(environment.JWT_SECRET).toBe(parseEnvFile(readFileSync(envFile, 'utf8')).JWT_SECRET);
  });

  it.each(Object.entries(API_SERVICES))('%s keeps every stateful file on a named volume', (name, store) => {
    const service = compose.services[name];
    const config = loadConfig(service.environment!);
    expect(config.EVENT_STORE).toBe(store);
    const named = Object.keys(compose.volumes ?? {});
    const mounts = (service.volumes ?? []).map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v));
    const stateful = [
      config.READ_MODEL_PATH,
      config.PERSONAL_DATA_PATH,
      config.SESSIONS_PATH,
      ...(store === 'sqlite' ? [config.SQLITE_PATH] : []),
      ...(config.NOTIFICATIONS_STORE === 'sqlite' ? [config.NOTIFICATIONS_PATH] : []),
    ];
    for (const path of stateful) {
      const mount = mounts.find((m) => dirname(path) === m.target || dirname(path).startsWith(`${m.target}/`));
      expect({ path, volume: mount && named.includes(mount.source) ? mount.source : 'none' }).toEqual({ path, volume: 'civic-data' });
    }
  });

  it.each(Object.entries(API_SERVICES))(
    '%s waits only for the store it uses, in its own profile, and declares a health check',
    (name, store) => {
      const service = compose.services[name];
      expect(service.profiles).toEqual([store]);
      expect(dependencies(service)).toEqual(store === 'sqlite' ? [] : [store]);
      expect(service.healthcheck?.test.join(' ')).toContain('/health');
    },
  );

  it('keeps the stores’ own data on named volumes, each server in the profile of its API', () => {
    const named = Object.keys(compose.volumes ?? {});
    for (const server of ['postgres', 'eventstoredb']) {
      const service = compose.services[server];
      expect(service.profiles).toEqual([server]);
      const volumes = (service.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source));
      expect(volumes.every((v) => named.includes(v)) && volumes.length).toBe(1);
    }
  });
});
