import { parseArgs } from 'node:util';
import type { CheckpointFeed, PublishedCheckpoint } from '@civic/audit';
import { CliError, fail, print } from '../../pb/output';
import { EXIT } from '../shared/exit-codes';
import { readText } from '../shared/read-input';
import { CHECKPOINT_FIELDS, publicQuery } from '../shared/public-api';

const USAGE = `Usage: cli audit witness --url URL --state FILE [--public-key FILE]
An outside witness of the platform's signed history: reads the public checkpoint feed, checks
that the last checkpoint it saw is still there as it saw it, that each new one is signed by the
audit key and holds a tree that extends the one before (an RFC 6962 consistency proof), and
appends each new one to FILE (JSON lines, usable as \`audit verify --witness FILE\`). Run it from
cron. Without --public-key it follows the key the API publishes, pinned to the one it saw last.
Exits 0 when the log only grew, 1 with WITNESS.LOG_REWOUND, WITNESS.LOG_FORKED,
WITNESS.SIGNATURE_INVALID or WITNESS.FEED_INVALID, 2 on bad options.
`;

const PAGE = 500;

/** `cli audit witness`. */
export async function witnessCommand(args: string[]): Promise<number> {
  const audit = await import('@civic/audit');
  try {
    const values = parse(args);
    if (values.help) {
      process.stderr.write(USAGE);
      return EXIT.ok;
    }
    if (!values.url || !values.state) throw new CliError('CLI.USAGE', '--url and --state are required.');
    const url = values.url;
    const state = new audit.FileWitness(values.state);
    const seen = await state.readAll();
    const pem = values['public-key']
      ? readText(values['public-key'])
      : (await publicQuery<{ auditKey: { publicKeyPem: string } }>(url, '{ auditKey { publicKeyPem } }', {})).auditKey.publicKeyPem;
    const publicKey = audit.loadPublicKey(pem);
    const last = seen[seen.length - 1];
    if (!values['public-key'] && last && last.keyId !== audit.keyIdOf(publicKey))
      return fail(
        {
          code: 'WITNESS.SIGNATURE_INVALID',
          message: `The API now publishes another key than ${last.keyId}; pass --public-key to follow a rotation.`,
        },
        '',
        EXIT.failed,
      );
    const poll = await audit.pollFeed(seen, feedAt(url), publicKey);
    for (const record of poll.added) await state.record(record);
    if (!poll.ok) return fail({ code: poll.code, message: poll.message, sequence: poll.sequence } as never, '', EXIT.failed);
    const newest = poll.last;
    print({ ok: true, added: poll.added.length, seen: seen.length + poll.added.length, last: newest ?? null });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof audit.SigningKeyError) return fail({ code: err.code, message: err.message }, USAGE, EXIT.usage);
    if (!(err instanceof CliError)) throw err;
    const usage = err.code === 'CLI.USAGE';
    return fail({ code: err.code, message: err.message }, usage ? USAGE : '', usage ? EXIT.usage : EXIT.failed);
  }
}

/** The platform's public feed over GraphQL. */
function feedAt(url: string): CheckpointFeed {
  return {
    async checkpoints(fromSequence) {
      const all: PublishedCheckpoint[] = [];
      for (let from: number | null = fromSequence; from !== null;) {
        const page: { checkpoints: { checkpoints: PublishedCheckpoint[]; nextSequence: number | null } } = await publicQuery(
          url,
          `query($from: Int!, $first: Int!) { checkpoints(fromSequence: $from, first: $first) { nextSequence checkpoints { ${CHECKPOINT_FIELDS} } } }`,
          { from, first: PAGE },
        );
        all.push(...page.checkpoints.checkpoints);
        from = page.checkpoints.nextSequence;
      }
      return all;
    },
    async consistency(fromSize, toSize) {
      const answer = await publicQuery<{ consistencyProof: { proof: string[] } }>(
        url,
        `query($a: Int!, $b: Int!) { consistencyProof(fromSize: $a, toSize: $b) { proof } }`,
        { a: fromSize, b: toSize },
      );
      return answer.consistencyProof.proof;
    },
  };
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: { url: { type: 'string' }, state: { type: 'string' }, 'public-key': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (err) {
    throw new CliError('CLI.USAGE', (err as Error).message);
  }
}
