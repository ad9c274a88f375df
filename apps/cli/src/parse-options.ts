import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error';

type Options = NonNullable<ParseArgsConfig['options']>;
type Strict<O extends Options, P extends boolean> = { args: string[]; options: O; strict: true; allowPositionals: P };

/** `parseArgs`, strict, with its complaints turned into a `UsageError` (exit 2). */
export function parseOptions<O extends Options>(args: string[], options: O): ReturnType<typeof parseArgs<Strict<O, false>>>['values'] {
  return parseWithPositionals<O, false>(args, options, false).values;
}

/** The same, for a command that also takes positional arguments (files). */
export function parseWithPositionals<O extends Options, P extends boolean = true>(
  args: string[],
  options: O,
  allowPositionals: P = true as P,
): ReturnType<typeof parseArgs<Strict<O, P>>> {
  try {
    return parseArgs<Strict<O, P>>({ args, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
