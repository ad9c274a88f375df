/**
 * @civic/allocation: participatory-budgeting allocation rules that match the research
 * reference (pabutools 1.2.3) exactly, on exact BigInt rationals, and the pabulib file format.
 * Pure: no framework, no I/O except reading and writing .pb files.
 *
 * This entry imports nothing of Node (no node:fs, no node:crypto): a browser can bundle it to
 * re-run a results certificate. `index.ts` adds `readPabulibFile`, which reads from disk.
 */
export { ALLOCATION_ERROR_CODES, AllocationError, type AllocationErrorCode } from './allocation.errors';
export { Rational, type RationalLike } from './rational/rational';
export {
  createElection,
  VOTE_TYPES,
  type Ballot,
  type BallotInput,
  type Election,
  type ElectionInput,
  type Project,
  type VoteType,
} from './election/election';
export { TIE_BREAKS, type TieBreak } from './tie-break/tie-break';
export { SATISFACTIONS, type Satisfaction } from './rules/satisfaction';
export { isRuleKey, RULES, ruleKeys, type RuleDefinition, type RuleFamily, type RuleKey } from './rules/rule-keys';
export { allocate, prepareElection, type AllocateOptions, type AllocationResult } from './rules/allocate';
export type { GreedyExplanation, MesExplanation, ProjectExplanation } from './rules/explanation';
export type { MesPayment } from './rules/mes-run';
export { PABULIB_PROBLEMS, PabulibError, type PabulibParams, type PabulibProblem } from './pabulib/pabulib.errors';
export { PabulibReader, parsePabulib, parsePabulibLines } from './pabulib/parse';
export { toPabulib, writePabulib } from './pabulib/write';
