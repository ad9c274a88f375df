#!/usr/bin/env node
/**
 * Builds the web app's assets into apps/web/build (found from the project root at run time):
 * GOV.UK Frontend's Sass with the council's fonts, colours and right-to-left overrides into one
 * compressed stylesheet, and the small progressive-enhancement script as it is.
 */
const { copyFileSync, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const sass = require('sass');
const { verifyBundles } = require('./verify-bundles');

const root = join(__dirname, '..');
const web = join(root, 'apps', 'web');
const out = join(web, 'build');
mkdirSync(out, { recursive: true });
const css = sass.compile(join(web, 'assets', 'app.scss'), {
  loadPaths: [join(root, 'node_modules', 'govuk-frontend', 'dist')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'slash-div'],
});
writeFileSync(join(out, 'app.css'), css.css);
copyFileSync(join(web, 'assets', 'app.js'), join(out, 'app.js'));
// The verification scripts, loaded only by the pages that check something (outside the page-weight budget).
require('esbuild').buildSync({ ...verifyBundles(root), outdir: join(out, 'verify'), minify: true, format: 'esm' });
// The staff pages' scripts (a register file sent in chunks, the live tally), each loaded only by its page.
require('esbuild').buildSync({
  entryPoints: ['register-upload.ts', 'register-job.ts', 'live-tally.ts'].map((f) => join(web, 'assets', 'staff', f)),
  outdir: join(out, 'staff'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
});
process.stdout.write(`web assets built: ${join('apps', 'web', 'build')} (app.css ${css.css.length} bytes)\n`);
