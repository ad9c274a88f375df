import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { EXIT } from '../shared/exit-codes';
import { Cut, parseAsOf } from '../shared/as-of';
import { parseOptions } from '../../parse-options';
import { runOverLog } from '../shared/run-command';
import { STORE_OPTIONS, STORE_USAGE, storeChoice, UsageError } from '../shared/store-options';
import { exportJsonl } from './jsonl-export';
import { exportPabulib, PB_CATEGORIES } from './pabulib-export';

const OPTIONS = {
  ...STORE_OPTIONS,
  format: { type: 'string' },
  out: { type: 'string' },
  auditor: { type: 'boolean' },
  'as-of': { type: 'string' },
  help: { type: 'boolean' },
} as const;

const USAGE = `Usage: cli audit export --format jsonl --out FILE|-  [--as-of POSITION|ISO-TIME] [--auditor] [store options]
       cli audit export --format pb --out DIR            [--as-of POSITION|ISO-TIME] [--auditor] [store options]
Store options: ${STORE_USAGE}

jsonl: every event in global order, one JSON object a line:
  { position, streamName, revision, type, data, metadata, recordedAt, redacted? }.
pb:    one pabulib file per pot of every fund whose voting has opened, named FUND_POT.pb:
  META (budget in pounds, the currency's major unit: the platform records pence),
  PROJECTS (accepted proposals at their official cost, with "selected" only once the pot's
  allocation is published), VOTES (voter_id is the voter's pseudonym; time to the hour).

--as-of exports the history as it stood then, as replay reads it: up to and including the
event at POSITION (exit 2 if it is not in the log; nothing is written then), or every event
recorded up to ISO-TIME. Publication, redaction and pabulib votes are all as of that point.

Never any personal data: resident events keep only their non-personal fields and the sealed
personal data (ciphertext under the resident's own key, destroyed on erasure); a resident's
id that is not a pseudonym is withheld. Results stay hidden until published (the embargo
table, README): without --auditor, ballot marks and allocations (lines, amounts, reasons) of
funds whose results are not published are withheld (jsonl) or their pots not written (pb),
and ballot times are coarsened to the hour. --auditor includes them (auditors read
everything but personal data). A JSON summary goes to stdout (to
stderr with --out -). Exits 0, 130 when interrupted (Ctrl-C; the files then
hold a prefix of the history), 2 on bad options.
`;

export function exportCommand(args: string[]): Promise<number> {
  return runOverLog(
    'export',
    USAGE,
    () => {
      const values = parseOptions(args, OPTIONS);
      const asOf = parseAsOf(values['as-of']);
      if (values.help) return { help: true, store: storeChoice(values), format: 'jsonl' as const, out: '-', auditor: false, asOf };
      const format = values.format;
      if (format !== 'jsonl' && format !== 'pb') throw new UsageError('--format must be jsonl or pb');
      const out = values.out ?? (format === 'jsonl' ? '-' : undefined);
      if (!out) throw new UsageError('--out DIR is required with --format pb');
      if (format === 'pb' && existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out} is not a directory`);
      return {
        help: false,
        store: storeChoice(values),
        format,
        out,
        auditor: values.auditor ?? false,
        asOf,
        categories: format === 'pb' ? new Cut(asOf).categories(PB_CATEGORIES) : undefined,
      };
    },
    async (log, run, { format, out, auditor, asOf }) => {
      const pass = { signal: run.signal, onProgress: run.onProgress, asOf };
      let summary: object & { interrupted: boolean };
      if (format === 'pb') {
        mkdirSync(out, { recursive: true });
        summary = await exportPabulib(log, out, auditor, pass);
      } else {
        const open = (): Writable => (out === '-' ? process.stdout : createWriteStream(out, { encoding: 'utf8' }));
        const { out: stream, ...written } = await exportJsonl(log, open, auditor, pass);
        summary = written;
        if (stream !== process.stdout) {
          stream.end();
          await once(stream, 'finish');
        }
      }
      run.end();
      const cut = asOf.kind === 'end' ? 'end' : asOf.kind === 'time' ? asOf.until : asOf.position;
      const report = JSON.stringify({ format, out, auditor, asOf: cut, ...summary }, null, 2);
      // stdout carries the history itself with --out -: the summary then goes to stderr.
      (out === '-' ? process.stderr : process.stdout).write(`${report}\n`);
      return summary.interrupted ? EXIT.interrupted : EXIT.ok;
    },
  );
}
