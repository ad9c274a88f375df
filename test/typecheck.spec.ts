import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..');

/**
 * Tests run transpiled (SWC, types stripped) and the API runs compiled by `nest build`,
 * which stops at the first error: the whole tree, tests and benchmarks included, must type-check.
 */
describe('types', () => {
  it('check across apps, libs, tests and benchmarks', async () => {
    const result = await promisify(execFile)(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
      {
        cwd: root,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  }, 180_000);
});
