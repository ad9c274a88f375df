import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, ERROR_CODES } from './errors';

// The application layer raises the codes that only it can meet (COMMAND.CONFLICT).
const ROOTS = [join(__dirname, '..'), join(__dirname, '..', '..', '..', 'application', 'src')];
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

describe('the error catalogue', () => {
  const all = ROOTS.flatMap(files).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const sources = all.filter((f) => !f.path.endsWith('.spec.ts') && !f.path.endsWith('errors.ts') && !f.path.includes('/testing/'));
  const specs = all.filter((f) => f.path.endsWith('.spec.ts') && !f.path.endsWith('errors.unit.spec.ts'));

  it.each(ERROR_CODES)('%s is raised by a decider and its rejection is tested', (code) => {
    expect(sources.some((f) => f.text.includes(`'${code}'`))).toBe(true);
    expect(specs.some((f) => f.text.includes(`'${code}'`))).toBe(true);
  });

  it('keeps the code and a plain message', () => {
    const error = new DomainError('BALLOT.VOTING_CLOSED', 'Voting is closed.');
    expect(error).toMatchObject({ code: 'BALLOT.VOTING_CLOSED', message: 'Voting is closed.', name: 'DomainError' });
  });
});
