import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root';

describe('projectRoot', () => {
  it('finds the repository from the sources and from the compiled tree alike', () => {
    const root = projectRoot();
    expect(existsSync(join(root, 'apps', 'api', 'demo', 'wards.csv'))).toBe(true);
    expect(projectRoot(join(root, 'dist', 'apps', 'api', 'src', 'demo'))).toBe(root);
  });
});
