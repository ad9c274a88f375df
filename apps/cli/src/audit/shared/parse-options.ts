import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './store-options';

type Options = NonNullable<ParseArgsConfig['options']>;
type Strict<O extends Options> = { args: string[]; options: O; strict: true; allowPositionals: false };

/** `parseArgs`, strict, with its complaints turned into a `UsageError` (exit 2). */
export function parseOptions<O extends Options>(args: string[], options: O): ReturnType<typeof parseArgs<Strict<O>>>['values'] {
  try {
    return parseArgs<Strict<O>>({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
