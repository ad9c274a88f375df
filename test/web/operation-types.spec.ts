import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const GENERATED = join(root, 'apps', 'web', 'src', 'graphql', 'generated.ts');
/** `npm run codegen -- --check`, in its own process (codegen's plugins load ES modules, which jest cannot). */
const check = () =>
  promisify(execFile)(
    process.execPath,
    [
      join(root, 'node_modules/ts-node/dist/bin.js'),
      '--transpile-only',
      '-r',
      'tsconfig-paths/register',
      'scripts/codegen/main.ts',
      '--check',
    ],
    { cwd: root },
  ).then(
    (r) => ({ code: 0, out: r.stdout }),
    (err: { code: number; stderr: string }) => ({ code: err.code, out: err.stderr }),
  );

describe('the web pages’ generated operation types', () => {
  it('are what `npm run codegen` writes for the schema and every registered operation, and a stale file is caught', async () => {
    expect(await check()).toEqual({ code: 0, out: expect.stringContaining('up to date') });
    for (const name of ['WebFunds', 'WebBallotPage', 'WebCastBallot'])
      expect(readFileSync(GENERATED, 'utf8')).toContain(`  ${name}: { data: ${name}`);
    // A file that misses one operation (one added since the last run) is stale.
    const saved = `${GENERATED}.saved`;
    copyFileSync(GENERATED, saved);
    try {
      writeFileSync(GENERATED, readFileSync(saved, 'utf8').replace(/^  WebFunds: .*\n/m, ''));
      expect(await check()).toEqual({ code: 1, out: expect.stringContaining('stale: run npm run codegen') });
    } finally {
      copyFileSync(saved, GENERATED);
      rmSync(saved);
    }
  }, 120_000);
});
