import { buildSync, type BuildOptions } from 'esbuild';
import { join } from 'node:path';

// The build script's own options (plain JavaScript, so required, with its type said here).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyBundles } = require('../../scripts/verify-bundles') as { verifyBundles: (root: string) => BuildOptions };

type Checker = typeof import('../../apps/web/assets/verify/certificate-check');

const root = join(__dirname, '..', '..');

/** One verification script as build-web.js bundles it for the browser (same options), as text: `iife` exposes its exports as `globalName`. */
export function verifyBundleText(entry: 'certificate-check.ts' | 'proof.ts', format: 'cjs' | 'iife', globalName = 'civicCheck'): string {
  const options = verifyBundles(root);
  return buildSync({
    ...options,
    entryPoints: [join(root, 'apps', 'web', 'assets', 'verify', entry)],
    write: false,
    format,
    ...(format === 'iife' && { globalName }),
  }).outputFiles[0].text;
}

/**
 * The certificate checker exactly as the browser gets it, evaluated without `require`: it
 * reaches nothing of Node but the globals a browser has too (WebCrypto, TextEncoder, atob, performance).
 */
export function loadCertificateChecker(): Checker {
  const mod = { exports: {} as Checker };
  new Function('module', 'exports', 'require', verifyBundleText('certificate-check.ts', 'cjs'))(mod, mod.exports, () => {
    throw new Error('The browser bundle asked for a Node module');
  });
  return mod.exports;
}
