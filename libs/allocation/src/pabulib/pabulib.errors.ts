import { AllocationError } from '../allocation.errors';

/** The values a problem's sentence names: sections, columns, project ids, counts. Never personal data. */
export type PabulibParams = Readonly<Record<string, string | number>>;

/** Each way a .pb file can be wrong, by stable code, with its sentence in English. */
const PROBLEMS = {
  TEXT_BEFORE_META: () => 'text before the META section',
  COLUMN_COUNT: (p) => `wrong column count in ${p.section}: expected ${p.expected} (header on line ${p.headerLine}), found ${p.found}`,
  UNCLOSED_QUOTE: () => 'a quoted field is never closed',
  MISSING_SECTION: (p) => `missing section ${p.sections} (the file ends here)`,
  NO_HEADER: (p) => `the ${p.section} section has no header line`,
  SECTION_ORDER: (p) => `found section ${p.section} where section ${p.expected} was expected`,
  HEADER_LACKS_COLUMN: (p) => `the ${p.section} header lacks the column "${p.column}"`,
  HEADER_REPEATS_COLUMN: (p) => `the ${p.section} header names a column twice`,
  NO_BUDGET: () => 'META has no budget',
  BAD_BUDGET: (p) => `the budget "${p.budget}" is not a non-negative number`,
  UNKNOWN_VOTE_TYPE: (p) => `unknown vote_type "${p.voteType}"`,
  NO_PROJECT_ID: () => 'a project has no project_id',
  PROJECT_TWICE: (p) => `project "${p.project}" is listed twice`,
  BAD_COST: (p) => `the cost "${p.cost}" of project "${p.project}" is not a non-negative number`,
  UNKNOWN_PROJECT: (p) => `the vote names unknown project "${p.project}"`,
  NO_POINTS_COLUMN: () => 'cumulative votes need a points column',
  POINTS_COUNT: (p) => `${p.projects} projects but ${p.points} points`,
  BAD_POINTS: (p) => `the points "${p.points}" are not a non-negative number`,
} satisfies Record<string, (params: PabulibParams) => string>;

/** The stable code of what is wrong at a line of a .pb file. */
export type PabulibProblem = keyof typeof PROBLEMS;
export const PABULIB_PROBLEMS = Object.keys(PROBLEMS) as PabulibProblem[];

/**
 * A .pb file that cannot be read: `line` (1-based), what is wrong there as a stable `problem`
 * code with its `params` (for a client to say it in its own language), and `reason` in English.
 * Nothing is returned.
 */
export class PabulibError extends AllocationError {
  readonly reason: string;

  constructor(
    readonly line: number,
    readonly problem: PabulibProblem,
    readonly params: PabulibParams = {},
  ) {
    const reason = PROBLEMS[problem](params);
    super('PABULIB.MALFORMED', `Malformed pabulib file, line ${line}: ${reason}`);
    this.reason = reason;
    this.name = 'PabulibError';
  }
}
