/**
 * `pb`: pabulib files and allocation rules.
 *   pb allocate --rule <key> [--tie-break lexico|equalshares|order] [--seed <text>] <file.pb>
 *   pb import --url <platform> --token <administrator's token> --fund <id> --pot <id> --part projects|ballots <file.pb>
 *   pb rules
 * Prints one JSON object on stdout; on failure `{ "error": { "code", "message" } }` and a
 * non-zero exit code, with the message for people on stderr.
 */
import { parseArgs } from 'node:util';
import { allocateCommand } from './allocate.command';
import { importCommand } from './import.command';
import { fail, print } from './output';
import { rulesCommand } from './rules.command';

const USAGE = `Usage:
  pb allocate --rule <key> [--tie-break lexico|equalshares|order] [--seed <text>] <file.pb>
  pb import --url <platform> --token <administrator's token> --fund <id> --pot <id> --part projects|ballots <file.pb>
  pb rules
`;

export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'allocate': {
        const { values, positionals } = parseArgs({
          args: rest,
          options: { rule: { type: 'string' }, 'tie-break': { type: 'string' }, seed: { type: 'string' } },
          allowPositionals: true,
        });
        print(await allocateCommand({ file: positionals, rule: values.rule, tieBreak: values['tie-break'], seed: values.seed }));
        return 0;
      }
      case 'import': {
        const { values, positionals } = parseArgs({
          args: rest,
          options: {
            url: { type: 'string' },
            token: { type: 'string' },
            fund: { type: 'string' },
            pot: { type: 'string' },
            part: { type: 'string' },
          },
          allowPositionals: true,
        });
        print(await importCommand({ file: positionals, ...values }));
        return 0;
      }
      case 'rules':
        print(rulesCommand());
        return 0;
      default:
        return fail({ code: 'CLI.USAGE', message: `Unknown pb command "${command ?? ''}"` }, USAGE, 2);
    }
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const usage = e.code === 'CLI.USAGE' || e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? USAGE : '';
    return fail({ code: e.code ?? 'CLI.FAILED', message: e.message ?? String(err) }, usage, usage ? 2 : 1);
  }
}
