import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '@civic/config';

/** The secrets the platform needs: token signing, and the master of the pseudonym keys. */
export interface PlatformSecrets {
  readonly jwtSecret: string;
  readonly keyMasterSecret: Buffer;
}

/**
 * Secrets from the configuration. Outside production a missing one is generated once and kept
 * in `<data folder>/dev-secrets.json` (mode 600), so that a second start keeps the same voter
 * pseudonyms and tokens. Production must set both (the config refuses to start otherwise).
 */
export function loadSecrets(config: AppConfig): PlatformSecrets {
  if (config.JWT_SECRET && config.KEY_MASTER_SECRET) {
    return { jwtSecret: config.JWT_SECRET, keyMasterSecret: Buffer.from(config.KEY_MASTER_SECRET, 'base64') };
  }
  const stored = developmentSecrets(config);
  return {
    jwtSecret: config.JWT_SECRET ?? stored.jwtSecret,
    keyMasterSecret: Buffer.from(config.KEY_MASTER_SECRET ?? stored.keyMasterSecret, 'base64'),
  };
}

function developmentSecrets(config: AppConfig): { jwtSecret: string; keyMasterSecret: string } {
  const fresh = () => ({ jwtSecret: randomBytes(32).toString('base64url'), keyMasterSecret: randomBytes(32).toString('base64') });
  if (config.SQLITE_PATH === ':memory:') return fresh();
  const file = join(dirname(config.SQLITE_PATH), 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = fresh();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
