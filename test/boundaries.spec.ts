import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..');
const depcruise = (target: string) =>
  promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules/.bin/depcruise'), ...target.split(' '), '--config', '.dependency-cruiser.js'],
    { cwd: root },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
  );

describe('import boundaries', () => {
  it('hold across apps and libs', async () => {
    const { code, stdout } = await depcruise('apps libs');
    expect(stdout).toMatch(/no dependency violations/);
    expect(code).toBe(0);
  }, 60_000);

  it('catch the domain importing Nest or an adapter, and a lib importing an app', async () => {
    const { code, stdout } = await depcruise('test/fixtures/boundaries');
    expect(code).not.toBe(0);
    expect(stdout).toMatch(
      /pure-core-has-no-framework-or-io: test\/fixtures\/boundaries\/libs\/domain\/src\/leaky\.ts → node_modules\/@nestjs\/common/,
    );
    expect(stdout).toMatch(
      /pure-core-has-no-framework-or-io: test\/fixtures\/boundaries\/libs\/domain\/src\/leaky\.ts → libs\/event-store-sqlite/,
    );
    expect(stdout).toMatch(/libs-do-not-import-apps: test\/fixtures\/boundaries\/libs\/allocation\/src\/leaky\.ts → apps\/api/);
  }, 60_000);
});
