import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './store-options';

/** `parseArgs`, strict, with its complaints turned into a `UsageError` (exit 2). */
export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
