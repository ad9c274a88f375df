import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Election } from '../election/election';
import { parsePabulibLines } from './parse';

/** Reads a .pb file from disk, streaming it line by line (FORMAT.md). Throws `PABULIB.MALFORMED`. */
export async function readPabulibFile(path: string): Promise<Election> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    return await parsePabulibLines(lines);
  } finally {
    lines.close();
    stream.destroy();
  }
}
