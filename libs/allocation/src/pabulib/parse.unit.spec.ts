import { parsePabulib } from './parse';
import { PabulibError } from './pabulib.errors';

const file = (parts: { meta?: string; projects?: string; votes?: string }) =>
  [
    parts.meta ?? 'META\nkey;value\nbudget;100\nvote_type;approval',
    parts.projects ?? 'PROJECTS\nproject_id;cost;name\n1;60;Park\n2;40,5;"Library; books"',
    parts.votes ?? 'VOTES\nvoter_id;vote\nv1;1,2\nv2;2',
  ]
    .filter((s) => s !== '')
    .join('\n');

/** Parses and returns the error (failing the test if there is none). */
function errorOf(text: string): PabulibError {
  try {
    parsePabulib(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PabulibError);
    return e as PabulibError;
  }
  throw new Error('expected a PABULIB.MALFORMED error');
}

describe(parsePabulib.name, () => {
  it('reads the three sections into an election', () => {
    const e = parsePabulib(file({}));
    expect(e.budget.toString()).toBe('100');
    expect(e.voteType).toBe('approval');
    expect(e.projects.map((p) => [p.id, p.cost.toString(), p.extra?.name])).toEqual([
      ['1', '60', 'Park'],
      ['2', '81/2', 'Library; books'],
    ]);
    expect(e.ballots.map((b) => [b.voterId, b.items])).toEqual([
      ['v1', ['1', '2']],
      ['v2', ['2']],
    ]);
  });

  it('strips a BOM, accepts CRLF, blank lines, case-insensitive titles and sloppy quotes', () => {
    const text = `\ufeff${file({ projects: 'projects\r\nproject_id;cost;name\r\n\r\n1;60;"Odkupmy" i my\r\n2;40;x' })}`;
    const e = parsePabulib(text.replace(/\n/g, '\r\n'));
    expect(e.projects[0].extra?.name).toBe('Odkupmy i my');
  });

  it('reads cumulative points and choose-1 as approval', () => {
    const cumulative = parsePabulib(
      file({ meta: 'META\nkey;value\nbudget;100\nvote_type;cumulative', votes: 'VOTES\nvoter_id;vote;points\nv1;1,2;3,7' }),
    );
    expect(cumulative.ballots[0].points?.map(String)).toEqual(['3', '7']);
    expect(parsePabulib(file({ meta: 'META\nkey;value\nbudget;100\nvote_type;choose-1' })).voteType).toBe('approval');
  });

  describe('fails on malformed input, naming the line, never returning a partial result', () => {
    it.each([
      ['a missing PROJECTS section', file({ projects: '' }), 5, /found section VOTES where section PROJECTS was expected/],
      ['a missing VOTES section', file({ votes: '' }), 8, /missing section VOTES/],
      ['a missing META section', file({ meta: '' }), 1, /found section PROJECTS where section META was expected/],
      [
        'a wrong column count',
        file({ votes: 'VOTES\nvoter_id;vote\nv1;1,2;extra' }),
        11,
        /wrong column count in VOTES: expected 2 \(header on line 10\), found 3/,
      ],
      ['an unknown project in a vote', file({ votes: 'VOTES\nvoter_id;vote\nv1;1\nv2;1,99' }), 12, /unknown project "99"/],
      [
        'a non-numeric cost',
        file({ projects: 'PROJECTS\nproject_id;cost\n1;sixty' }),
        7,
        /the cost "sixty" of project "1" is not a non-negative number/,
      ],
      ['a negative cost', file({ projects: 'PROJECTS\nproject_id;cost\n1;-5' }), 7, /cost "-5"/],
      [
        'a budget that is not a number',
        file({ meta: 'META\nkey;value\nbudget;lots\nvote_type;approval' }),
        3,
        /the budget "lots" is not a non-negative number/,
      ],
      ['no budget at all', file({ meta: 'META\nkey;value\nvote_type;approval' }), 4, /META has no budget/],
      ['an unknown vote type', file({ meta: 'META\nkey;value\nbudget;1\nvote_type;dots' }), 4, /unknown vote_type "dots"/],
      ['a duplicate project', file({ projects: 'PROJECTS\nproject_id;cost\n1;5\n1;6' }), 8, /project "1" is listed twice/],
      ['a header without a required column', file({ projects: 'PROJECTS\nid;cost\n1;5' }), 6, /lacks the column "project_id"/],
      [
        'points that do not match the projects',
        file({ meta: 'META\nkey;value\nbudget;1\nvote_type;cumulative', votes: 'VOTES\nvoter_id;vote;points\nv1;1,2;3' }),
        11,
        /2 projects but 1 points/,
      ],
      ['text before META', `hello\n${file({})}`, 1, /text before the META section/],
      ['an unclosed quote', file({ projects: 'PROJECTS\nproject_id;cost;name\n1;60;"Park' }), 7, /never closed|wrong column count/],
    ])('%s', (_what, text, line, message) => {
      const err = errorOf(text);
      expect(err.code).toBe('PABULIB.MALFORMED');
      expect(err.line).toBe(line);
      expect(err.message).toMatch(message);
      expect(err.message).toContain(`line ${line}`);
    });

    it('names each problem by a stable code with the values its sentence holds', () => {
      const err = errorOf(file({ projects: 'PROJECTS\nproject_id;cost\n1;5\n1;6' }));
      expect(err).toMatchObject({ line: 8, problem: 'PROJECT_TWICE', params: { project: '1' } });
      const count = errorOf(file({ projects: 'PROJECTS\nproject_id;cost\n1;5;9' }));
      expect(count).toMatchObject({ problem: 'COLUMN_COUNT', params: { section: 'PROJECTS', expected: 2, found: 3 } });
    });
  });
});
