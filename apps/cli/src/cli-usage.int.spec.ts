import { AUDIT_COMMANDS } from './audit';
import { cli } from './audit/testing/cli';
import { GROUPS } from './groups';
import { COMMANDS as PB_COMMANDS } from './pb';
import { COMMANDS as PROJECTIONS_COMMANDS } from './projections';
import { COMMANDS as SECRETS_COMMANDS } from './secrets';

/**
 * Every usage error of every command, run as a process: one JSON error on stdout,
 * `{"error":{"code":"CLI.USAGE","message"}}`, the message for people on stderr, exit code 2.
 * The commands come from the CLI's own tables, so a new one is covered.
 */
jest.setTimeout(240_000);

const COMMANDS: Record<string, readonly string[]> = {
  audit: Object.keys(AUDIT_COMMANDS),
  pb: PB_COMMANDS,
  projections: PROJECTIONS_COMMANDS,
  secrets: SECRETS_COMMANDS,
};

const CASES: [label: string, args: string[]][] = [
  ['no group', []],
  ['an unknown group', ['nope']],
  ...Object.keys(GROUPS).flatMap((group): [string, string[]][] => [
    [`${group} without a command`, [group]],
    [`${group} with an unknown command`, [group, 'nope']],
    ...(COMMANDS[group] ?? []).map((command): [string, string[]] => [
      `${group} ${command} with an unknown option`,
      [group, command, '--no-such-option'],
    ]),
  ]),
  ['audit replay with a time that is not one', ['audit', 'replay', '--as-of', '2026-13-45T99:99Z']],
  ['audit export with a time that is not one', ['audit', 'export', '--as-of', '2026-02-30T10:00:00Z', '--format', 'jsonl']],
  ['audit export with an empty --as-of', ['audit', 'export', '--as-of', ' ']],
  ['audit export with an unknown format', ['audit', 'export', '--format', 'csv']],
  ['audit replay on a store that is not there', ['audit', 'replay', '--sqlite-path', '/nonexistent/events.sqlite']],
  ['audit verify with too many workers', ['audit', 'verify', '--workers', '99']],
  ['audit recompute with a schema name PostgreSQL cannot take', ['audit', 'recompute', '--store', 'postgres', '--schema', 'x'.repeat(51)]],
  ['pb allocate without a rule', ['pb', 'allocate', 'file.pb']],
  ['projections rebuild with a value for --check', ['projections', 'rebuild', '--check=yes']],
];

describe('usage errors of the CLI', () => {
  it('covers every group and command', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual(Object.keys(GROUPS).sort());
  });

  it.each(CASES)('%s: a JSON error with CLI.USAGE and exit code 2', async (_label, args) => {
    const { code, stdout, stderr } = await cli(args, { EVENT_STORE: 'sqlite' });
    const lines = stdout.trim().split('\n');
    // Said with what the process printed to stderr and how it ended, so a failure here explains itself.
    expect({ lines: lines.length, stdout, stderr, code }).toMatchObject({ lines: 1, stdout: expect.stringMatching(/\S/) });
    const { error } = JSON.parse(lines[0]) as { error: { code: string; message: string } };
    expect(error).toEqual({ code: 'CLI.USAGE', message: expect.stringMatching(/\S/) });
    expect(stderr).toContain(error.message);
    expect(code).toBe(2);
  });
});
