import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '@civic/config';

/** The secrets the platform needs: token signing, and the master of the pseudonym keys. */
export interface PlatformSecrets {
  readonly jwtSecret: string;
  readonly keyMasterSecret: Buffer;
  /** The Ed25519 private key that signs audit checkpoints: PKCS#8 PEM. */
  readonly auditSigningKey: string;
}

/**
 * Secrets from the configuration. Outside production a missing one is generated once and kept
 * in `<data folder>/dev-secrets.json` (mode 600), so that a second start keeps the same voter
 * pseudonyms and tokens. Production must set both (the config refuses to start otherwise).
 */
export function loadSecrets(config: AppConfig): PlatformSecrets {
  if (config.JWT_SECRET && config.KEY_MASTER_SECRET && config.AUDIT_SIGNING_KEY) {
    return {
      jwtSecret: config.JWT_SECRET,
      keyMasterSecret: Buffer.from(config.KEY_MASTER_SECRET, 'base64'),
      auditSigningKey: config.AUDIT_SIGNING_KEY,
    };
  }
  const stored = developmentSecrets(config);
  return {
    jwtSecret: config.JWT_SECRET ?? stored.jwtSecret,
    keyMasterSecret: Buffer.from(config.KEY_MASTER_SECRET ?? stored.keyMasterSecret, 'base64'),
    auditSigningKey: config.AUDIT_SIGNING_KEY ?? stored.auditSigningKey,
  };
}

type StoredSecrets = { jwtSecret: string; keyMasterSecret: string; auditSigningKey: string };

function developmentSecrets(config: AppConfig): StoredSecrets {
  const fresh = (): StoredSecrets => ({
    jwtSecret: randomBytes(32).toString('base64url'),
    keyMasterSecret: randomBytes(32).toString('base64'),
    auditSigningKey: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  if (config.SQLITE_PATH === ':memory:') return fresh();
  const file = join(dirname(config.SQLITE_PATH), 'dev-secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>) : {};
  if (stored.jwtSecret && stored.keyMasterSecret && stored.auditSigningKey) return stored as StoredSecrets;
  // Keep what exists (a new key master would change every voter pseudonym); add what is missing.
  const secrets = { ...fresh(), ...stored };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
