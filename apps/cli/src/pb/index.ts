/**
 * `pb`: pabulib files and allocation rules.
 *   pb allocate --rule <key> [--tie-break lexico|equalshares|order] [--seed <text>] <file.pb>
 *   pb import --url <platform> --token <administrator's token> --fund <id> --pot <id> --part projects|ballots <file.pb>
 *   pb rules
 * Prints one JSON object on stdout; a failure goes through the CLI's one failure path
 * (`reportFailure`): `{ "error": { "code", "message" } }`, exit 2 for bad usage, else 1.
 */
import { UsageError } from '../cli-error';
import { parseOptions, parseWithPositionals } from '../parse-options';
import { allocateCommand } from './allocate.command';
import { importCommand } from './import.command';
import { print } from './output';
import { rulesCommand } from './rules.command';

/** The commands of this group, for the usage and the tests. */
export const COMMANDS = ['allocate', 'import', 'rules'] as const;

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
        const { values, positionals } = parseWithPositionals(rest, {
          rule: { type: 'string' },
          'tie-break': { type: 'string' },
          seed: { type: 'string' },
        });
        print(await allocateCommand({ file: positionals, rule: values.rule, tieBreak: values['tie-break'], seed: values.seed }));
        return 0;
      }
      case 'import': {
        const { values, positionals } = parseWithPositionals(rest, {
          url: { type: 'string' },
          token: { type: 'string' },
          fund: { type: 'string' },
          pot: { type: 'string' },
          part: { type: 'string' },
        });
        print(await importCommand({ file: positionals, ...values }));
        return 0;
      }
      case 'rules':
        parseOptions(rest, {});
        print(rulesCommand());
        return 0;
      default:
        throw new UsageError(command ? `Unknown pb command "${command}"` : 'Name a pb command', USAGE);
    }
  } catch (err) {
    throw err instanceof UsageError ? err.withUsage(USAGE) : err;
  }
}
