const { join } = require('node:path');

/**
 * The esbuild options of the browser's verification scripts (receipt proof, results
 * certificate), shared by scripts/build-web.js and the tests and bench that run the same
 * bundle: the allocation library through its browser entry (no node:fs, no node:crypto).
 */
function verifyBundles(root) {
  const verify = join(root, 'apps', 'web', 'assets', 'verify');
  return {
    entryPoints: ['receipt.ts', 'certificate.ts', 'certificate-check.ts'].map((f) => join(verify, f)),
    bundle: true,
    target: 'es2020',
    platform: 'browser',
    alias: { '@civic/allocation': join(root, 'libs', 'allocation', 'src', 'browser.ts') },
    logLevel: 'error',
  };
}

module.exports = { verifyBundles };
