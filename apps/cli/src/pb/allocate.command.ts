import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { allocate, readPabulibFile, TIE_BREAKS, type AllocationResult, type TieBreak } from '@civic/allocation';
import { CliError, UsageError } from '../cli-error';

export interface AllocateArgs {
  readonly file: string[];
  readonly rule?: string;
  readonly tieBreak?: string;
  readonly seed?: string;
}

/**
 * Reads a .pb file and runs one rule on it. With `--tie-break equalshares` and no `--seed`, the
 * lot's seed is the file's SHA-256, so the same file always gives the same result (printed back).
 * With `--tie-break order`, the order is that of the file's PROJECTS section (first wins).
 */
export async function allocateCommand(args: AllocateArgs): Promise<AllocationResult & { file: string }> {
  if (!args.rule) throw new UsageError('Missing --rule <key> (see `pb rules`)');
  if (args.file.length !== 1) throw new UsageError('Give exactly one .pb file');
  const tieBreak = (args.tieBreak ?? 'lexico') as TieBreak;
  if (!TIE_BREAKS.includes(tieBreak)) {
    throw new UsageError(`Unknown tie-break "${args.tieBreak}" (expected ${TIE_BREAKS.join(', ')})`);
  }
  const [file] = args.file;
  if (!existsSync(file)) throw new CliError('CLI.FILE_NOT_FOUND', `No such file: ${file}`);
  const election = await readPabulibFile(file);
  const seed = tieBreak === 'equalshares' ? (args.seed ?? (await sha256(file))) : undefined;
  const order = tieBreak === 'order' ? election.projects.map((p) => p.id) : undefined;
  return { file, ...allocate(election, args.rule, { tieBreak, seed, order }) };
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
