import type { AppConfig } from '@civic/config';

/** The API's own secrets, the current one first. */
export type JwtSecrets = readonly [string, ...string[]];

/**
 * JWT_SECRET (or the development one), then JWT_SECRET_PREVIOUS while a rotation is under way:
 * the first signs tokens, seals and hashes; each one verifies, opens and matches, so tokens,
 * printed voting codes and sealed choices made under the old secret keep working.
 */
export const jwtSecrets = (current: string, config: Pick<AppConfig, 'JWT_SECRET_PREVIOUS'>): JwtSecrets =>
  config.JWT_SECRET_PREVIOUS ? [current, config.JWT_SECRET_PREVIOUS] : [current];
