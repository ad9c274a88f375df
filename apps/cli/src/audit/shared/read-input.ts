import { readFileSync } from 'node:fs';
import { CliError } from '../../pb/output';

/** A file the user named, or `CLI.USAGE` (exit 2) when it cannot be read. */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new CliError('CLI.USAGE', `Cannot read ${path}.`);
  }
}
