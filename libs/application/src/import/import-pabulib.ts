import { createHash } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v5 as uuidv5 } from 'uuid';
import { parsePabulib, PabulibError, type Election, type Rational } from '@civic/allocation';
import {
  DomainError,
  reject,
  validateBallotContent,
  type BallotContent,
  type ImportBallot,
  type ImportProposal,
  type Pot,
} from '@civic/domain';
import { RunBallotCommand, RunBallotCommandHandler } from '../ballot/run-ballot-command';
import { causedBy, type CommandInput } from '../command-handling/command-input';
import { CommandRuntime } from '../command-handling/command-runtime';
import { childCommandId } from '../ports/event-ids';
import { RunProposalCommand, RunProposalCommandHandler } from '../proposal/run-proposal-command';

/** Fixed namespace of the ids an import derives, so the same file imported again names the same records. */
const IMPORT_NAMESPACE = 'b0d6c3b8-3f7e-4bb8-9f0e-8a2c1c5d7e21';
/** Ballots written at once during an import: the store groups them into few commits. */
const CONCURRENCY = 16;

/**
 * Imports an election the council ran elsewhere into one pot, from a pabulib file, in two steps
 * that follow the fund's phases: `projects` during review (each project becomes an accepted
 * proposal at the file's cost), then `ballots` while voting is open (each vote a ballot marked as
 * imported with the file's SHA-256). The whole file is checked before anything is written, and
 * every record's id and command id derive from the file's digest, so an import interrupted part-way
 * is finished by running it again, and a second run writes nothing twice.
 */
export class ImportPabulibCommand {
  constructor(
    readonly fundId: string,
    readonly potId: string,
    readonly file: string,
    readonly part: 'projects' | 'ballots',
    readonly input: CommandInput,
  ) {}
}

export interface ImportPabulibResult {
  readonly fileDigest: string;
  readonly projects: number;
  readonly ballots: number;
  /** The head of the history once the import was written: read models that reach it show all of it. */
  readonly position?: string;
}

type MismatchParams = Readonly<Record<string, string | number>>;

/**
 * Each way a readable file can fail to describe its pot, by stable code, with its sentence in
 * English. Amounts (`fileBudget`, `potBudget`) are pence; a vote's `rule` is the code the pot's
 * ballot rules refused it with, and its values come along.
 */
const MISMATCHES = {
  NOT_WHOLE_PENCE: () => 'A cost or budget of the file is not a whole number of pence.',
  TOO_LARGE: () => 'A cost or budget of the file is too large.',
  PROJECT_COST: (p) => `Project ${p.project} costs nothing or more than the pot holds.`,
  PROJECTS_FIRST: () => 'Import the projects of this same file first: some are not accepted proposals of the pot.',
  VOTE_BREAKS_RULES: (p) => `Vote ${p.vote} (voter ${p.voter}) breaks the pot's rules: ${p.reason}`,
  BALLOT_KIND: (p) => `The file's ${p.voteType} votes do not fit this pot's ${p.ballotKind} ballot.`,
  BUDGET: () => "The file's budget is not the pot's budget.",
} satisfies Record<string, (params: MismatchParams) => string>;

/** The stable code of why a file does not fit its pot, sent as the `problem` of an `IMPORT.MISMATCH`. */
export type ImportMismatch = keyof typeof MISMATCHES;
export const IMPORT_MISMATCHES = Object.keys(MISMATCHES) as ImportMismatch[];

/** Refuses the file as not fitting its pot: the English sentence, and the code with its values for a client's own words. */
const mismatch = (problem: ImportMismatch, params: MismatchParams = {}): never => {
  const { reason: _reason, ...values } = params;
  return reject('IMPORT.MISMATCH', MISMATCHES[problem](params), { field: 'file', params: { ...values, problem } });
};

const pence = (pounds: Rational): number => {
  const p = pounds.num * 100n;
  if (p % pounds.den !== 0n) mismatch('NOT_WHOLE_PENCE');
  const value = p / pounds.den;
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) mismatch('TOO_LARGE');
  return Number(value);
};

/** The proposal id of a project of the file in this pot: the same on every run. */
export const importedProposalId = (potId: string, fileDigest: string, projectId: string): string =>
  uuidv5(`${potId}/${fileDigest}/${projectId}`, IMPORT_NAMESPACE);

@CommandHandler(ImportPabulibCommand)
export class ImportPabulibHandler implements ICommandHandler<ImportPabulibCommand, ImportPabulibResult> {
  constructor(
    private readonly runtime: CommandRuntime,
    private readonly proposals: RunProposalCommandHandler,
    private readonly ballots: RunBallotCommandHandler,
  ) {}

  async execute({ fundId, potId, file, part, input }: ImportPabulibCommand): Promise<ImportPabulibResult> {
    if (input.actor.role !== 'administrator') reject('AUTH.FORBIDDEN', 'Only an administrator may import an election.');
    const fileDigest = createHash('sha256').update(file, 'utf8').digest('hex');
    let election: Election;
    try {
      election = parsePabulib(file);
    } catch (error) {
      if (error instanceof PabulibError)
        throw new DomainError('IMPORT.MALFORMED', `The file is not valid pabulib, line ${error.line}: ${error.reason}`, {
          field: 'file',
          params: { ...error.params, line: error.line, problem: error.problem },
        });
      throw error;
    }
    const fund = await this.runtime.reader.fund(fundId);
    const pot = fund.pots.find((p) => p.potId === potId) ?? reject('FUND.POT_NOT_FOUND', 'There is no such pot.');
    requireSameElection(election, pot);
    const ids = new Map(election.projects.map((p) => [p.id, importedProposalId(potId, fileDigest, p.id)]));
    // Each record's command id derives from the pot and the file, not from this call: importing the
    // same file again (a retry, or a run after a crash part-way) writes only what is missing.
    const importId = uuidv5(`${potId}/${fileDigest}`, IMPORT_NAMESPACE);
    const step = (name: string) => causedBy(input, childCommandId(importId, name));
    if (part === 'projects') {
      if (fund.status !== 'review')
        reject('PROPOSAL.REVIEW_CLOSED', 'The projects of an election are imported while the fund is in review.');
      for (const project of election.projects) {
        const cost = pence(project.cost);
        if (cost === 0 || cost > pot.budget) mismatch('PROJECT_COST', { project: project.id, potBudget: pot.budget });
      }
      for (const project of election.projects) {
        const name = (project.extra?.name ?? `Project ${project.id}`).trim() || `Project ${project.id}`;
        const payload: ImportProposal['payload'] = {
          proposalId: ids.get(project.id)!,
          fundId,
          potId,
          title: name.slice(0, 120),
          summary: name.slice(0, 500),
          description: `${name}. Project ${project.id} of an election run elsewhere, imported from its pabulib file (SHA-256 ${fileDigest}).`,
          category: (project.extra?.category ?? 'imported').split(',')[0].trim().slice(0, 100) || 'imported',
          estimatedCost: pence(project.cost),
          fileDigest,
          projectId: project.id,
        };
        await this.proposals.execute(new RunProposalCommand<ImportProposal>('ImportProposal', payload, step(`project:${project.id}`)));
      }
      return { fileDigest, projects: election.projects.length, ballots: 0, position: await this.head() };
    }
    if (fund.status !== 'voting_open') reject('BALLOT.VOTING_NOT_OPEN', 'The ballots of an election are imported while voting is open.');
    const accepted = await this.runtime.reader.acceptedProposals(fund, potId);
    const acceptedIds = new Set(accepted.map((a) => a.proposalId));
    const missing = [...ids.values()].filter((id) => !acceptedIds.has(id));
    if (missing.length > 0) mismatch('PROJECTS_FIRST');
    // Every ballot is checked against the pot's rules before the first is written.
    const contents = election.ballots.map((b, i): BallotContent => {
      const content: BallotContent =
        pot.ballot.kind === 'cumulative'
          ? {
              kind: 'cumulative',
              points: b.items.map((item, k) => ({ proposalId: ids.get(item)!, points: Number(b.points?.[k]?.toString() ?? 0) })),
            }
          : { kind: pot.ballot.kind, proposalIds: b.items.map((item) => ids.get(item)!) };
      try {
        return validateBallotContent(content, pot.ballot, pot.budget, accepted);
      } catch (error) {
        if (error instanceof DomainError)
          mismatch('VOTE_BREAKS_RULES', {
            ...error.details.params,
            vote: i + 1,
            voter: b.voterId ?? i + 1,
            rule: error.code,
            reason: error.message,
          });
        throw error;
      }
    });
    const voters = election.ballots.map((b, i) => b.voterId ?? String(i + 1));
    if (new Set(voters).size !== voters.length)
      reject('IMPORT.MALFORMED', 'The file names a voter twice.', { field: 'file', params: { problem: 'VOTER_TWICE' } });
    let next = 0;
    const work = async () => {
      for (let i = next++; i < contents.length; i = next++) {
        // The file's voter ids are keyed under the fund's pseudonym key: no raw id from the file is stored.
        const voter = await this.runtime.pseudonymiser.pseudonymFor({ kind: 'fund', fundId }, `IMPORT/${fileDigest}/${voters[i]}`);
        const payload = { fundId, potId, voter: { pseudonym: voter }, content: contents[i], fileDigest };
        await this.ballots
          .execute(new RunBallotCommand<ImportBallot>('ImportBallot', payload, step(`ballot:${voters[i]}`)))
          .catch((error) => {
            // A second run finds the ballots of the first: they are there, which is what was asked.
            if (error instanceof DomainError && error.code === 'BALLOT.ALREADY_CAST') return;
            throw error;
          });
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, contents.length) }, work));
    return { fileDigest, projects: 0, ballots: contents.length, position: await this.head() };
  }

  private async head(): Promise<string | undefined> {
    const head = await this.runtime.store.headPosition();
    return head === 'start' ? undefined : head;
  }
}

/** The file must describe this pot: the same kind of ballot and the same budget, so its result is reproduced. */
function requireSameElection(election: Election, pot: Pot): void {
  const compatible =
    election.voteType === 'cumulative'
      ? pot.ballot.kind === 'cumulative'
      : election.voteType === 'approval' && pot.ballot.kind !== 'cumulative';
  if (!compatible) mismatch('BALLOT_KIND', { voteType: election.voteType, ballotKind: pot.ballot.kind });
  const budget = pence(election.budget);
  if (budget !== pot.budget) mismatch('BUDGET', { fileBudget: budget, potBudget: pot.budget });
}
