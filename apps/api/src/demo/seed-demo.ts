import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { v5 as uuidv5 } from 'uuid';
import { readPabulibFile, type Election } from '@civic/allocation';
import {
  CommandRuntime,
  ComputeAllocationCommand,
  ImportRegisterCommand,
  RunAllocationCommand,
  RunBallotCommand,
  RunFundCommand,
  RunProposalCommand,
  type CommandInput,
} from '@civic/application';
import type { Role } from '@civic/domain';
import { ProjectionRunner } from '@civic/projections';
import { projectRoot } from '../project-root';

const DEMO_DIR = join(projectRoot(), 'apps', 'api', 'demo');
const NAMESPACE = '6f1d7c1e-8a40-4e8e-9c55-2f3f1e0c2a77';
const DAY = 24 * 3600 * 1000;

/** The real election the demo replays. */
export const demoElection = (): Promise<Election> => readPabulibFile(join(DEMO_DIR, 'Poland_Warszawa_2018_Niskie_Okecie.pb'));
/** A voter's register reference in the demo borough. */
const reference = (voterId: string) => `TH-${voterId.padStart(6, '0')}`;
/** The demo's sample resident: the first voter, who wrote its proposals. */
export const demoAuthor = (election: Election): string => reference(election.ballots[0]?.voterId ?? '1');

/** What the demo holds, for the start-up message. */
export interface DemoSummary {
  readonly pastFundId: string;
  readonly openFundId: string;
  readonly residents: number;
  readonly ballots: number;
  readonly sampleResident: string;
}

/**
 * Seeds a demo borough on an empty store, through the same commands as the API: a past fund
 * whose Bow East pot replays the ballots of a real election (so its tally and allocation are
 * real), published; and this year's fund, borough-wide and per ward, open for proposals.
 * Command ids are derived from names, so a seed that is run twice writes everything once.
 */
export async function seedDemo(app: INestApplication, now = new Date()): Promise<DemoSummary> {
  const bus = app.get(CommandBus);
  const runner = app.get(ProjectionRunner);
  const id = (name: string) => uuidv5(name, NAMESPACE);
  const as = (role: Role, who: string, name: string): CommandInput => ({ commandId: id(name), actor: { role, id: who } });
  const admin = (name: string) => as('administrator', 'demo-admin', name);
  const councillor = (name: string) => as('councillor', 'demo-councillor', name);
  const officer = (name: string) => as('reviewer', 'demo-officer', name);
  // A resident acts under their register pseudonym, never their reference (as through the API).
  const pseudonymiser = app.get(CommandRuntime).pseudonymiser;
  const resident = async (reference: string, name: string) =>
    as('resident', await pseudonymiser.pseudonymFor({ kind: 'register' }, reference), name);
  const run = async (command: object) => {
    const result = (await bus.execute(command)) as { position?: string };
    if (result?.position) await runner.waitFor(result.position, 60_000);
  };

  const wards = readFileSync(join(DEMO_DIR, 'wards.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((w) => w.trim());
  const election = await demoElection();

  // The register: the election's voters live in Bow East.
  const rows = election.ballots.map((b, i) => {
    const age = Number(b.extra?.age);
    const born = Number.isInteger(age) && age >= 16 && age < 110 ? `${now.getUTCFullYear() - age - 1}-07-01` : '1985-07-01';
    return `${reference(b.voterId ?? String(i + 1))},Bow East,${born}`;
  });
  await bus.execute(new ImportRegisterCommand(['reference,ward,date_of_birth', ...rows].join('\n'), admin('register')));

  // A past fund: the Bow East pot replays the real election.
  const pastFundId = id('fund:2026');
  const past = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const votingClosesAt = new Date(now.getTime() + 10_000);
  await run(
    new RunFundCommand(
      'CreateFund',
      {
        fundId: pastFundId,
        name: 'You Decide! Bow East',
        description: 'Residents of Bow East chose how to spend a community regeneration fund.',
        currency: 'GBP',
        minimumAge: 16,
        // Voting closes a few seconds after the seed starts: the replayed ballots go in while it is open.
        schedule: {
          proposalsOpenAt: past(3),
          reviewStartsAt: past(2),
          votingOpensAt: past(1),
          votingClosesAt: votingClosesAt.toISOString(),
        },
      },
      admin('fund:2026:create'),
    ),
  );
  const potId = id('pot:2026:bow-east');
  const pence = (cost: Election['projects'][number]['cost']) => Number(cost.num / cost.den) * 100;
  const maxPicks = Math.max(1, ...election.ballots.map((b) => b.items.length));
  await run(
    new RunFundCommand(
      'AddPot',
      {
        fundId: pastFundId,
        pot: {
          potId,
          name: 'Bow East',
          scope: { kind: 'ward', ward: 'Bow East' },
          budget: pence(election.budget),
          ballot: { kind: 'approval', minPicks: 1, maxPicks },
          rule: 'equal_shares_with_completion',
          tieBreak: { kind: 'lexico' },
        },
      },
      admin('fund:2026:pot'),
    ),
  );
  await run(new RunFundCommand('OpenProposals', { fundId: pastFundId }, admin('fund:2026:open-proposals')));
  const author = demoAuthor(election);
  const proposalOf = new Map<string, string>();
  for (const project of election.projects) {
    const proposalId = id(`proposal:2026:${project.id}`);
    proposalOf.set(project.id, proposalId);
    const name = project.extra?.name ?? `Project ${project.id}`;
    await run(
      new RunProposalCommand(
        'SubmitProposal',
        {
          proposalId,
          fundId: pastFundId,
          potId,
          title: name.slice(0, 200),
          summary: name.slice(0, 300),
          description: `${name}. (Project ${project.id} of a real participatory budget, replayed for this demo.)`,
          category: (project.extra?.category ?? 'community').split(',')[0] || 'community',
          estimatedCost: pence(project.cost),
        },
        await resident(author, `proposal:2026:${project.id}:submit`),
      ),
    );
  }
  await run(new RunFundCommand('StartReview', { fundId: pastFundId }, admin('fund:2026:review')));
  for (const project of election.projects) {
    await run(
      new RunProposalCommand(
        'AcceptProposal',
        { proposalId: proposalOf.get(project.id)!, officialCost: pence(project.cost) },
        officer(`proposal:2026:${project.id}:accept`),
      ),
    );
  }
  await run(new RunFundCommand('OpenVoting', { fundId: pastFundId }, admin('fund:2026:open-voting')));
  let ballots = 0;
  const batch = 32;
  for (let i = 0; i < election.ballots.length; i += batch) {
    await Promise.all(
      election.ballots.slice(i, i + batch).map(async (b, k) => {
        const voter = reference(b.voterId ?? String(i + k + 1));
        const proposalIds = b.items.map((item) => proposalOf.get(item)!).filter(Boolean);
        if (proposalIds.length === 0) return;
        await run(
          new RunBallotCommand(
            'CastBallot',
            { fundId: pastFundId, potId, voter: { reference: voter }, content: { kind: 'approval', proposalIds } } as never,
            await resident(voter, `ballot:2026:${voter}`),
          ),
        );
        ballots++;
      }),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, votingClosesAt.getTime() - Date.now() + 50)));
  await run(new RunFundCommand('CloseVoting', { fundId: pastFundId }, admin('fund:2026:close-voting')));
  await run(new ComputeAllocationCommand(pastFundId, potId, admin('allocation:2026:compute')));
  await run(new RunAllocationCommand('RatifyAllocation', { fundId: pastFundId, potId }, councillor('allocation:2026:ratify')));
  await run(new RunAllocationCommand('PublishAllocation', { fundId: pastFundId, potId }, councillor('allocation:2026:publish')));
  await run(new RunFundCommand('PublishResults', { fundId: pastFundId }, councillor('fund:2026:publish')));

  // This year's fund: borough-wide and one pot per ward, open for proposals.
  const openFundId = id('fund:2027');
  const future = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  await run(
    new RunFundCommand(
      'CreateFund',
      {
        fundId: openFundId,
        name: 'Tower Hamlets Community Fund 2027',
        description: 'A borough-wide pot and a pot for every ward: propose a project for your community.',
        currency: 'GBP',
        minimumAge: 16,
        schedule: { proposalsOpenAt: past(1), reviewStartsAt: future(30), votingOpensAt: future(45), votingClosesAt: future(59) },
      },
      admin('fund:2027:create'),
    ),
  );
  await run(
    new RunFundCommand(
      'AddPot',
      {
        fundId: openFundId,
        pot: {
          potId: id('pot:2027:borough'),
          name: 'Borough-wide',
          scope: { kind: 'borough' },
          budget: 150_000_000,
          ballot: { kind: 'approval', minPicks: 1, maxPicks: 5 },
          rule: 'equal_shares_with_completion',
          tieBreak: { kind: 'equalshares', seed: id('seed:2027') },
        },
      },
      admin('fund:2027:pot:borough'),
    ),
  );
  for (const ward of wards) {
    await run(
      new RunFundCommand(
        'AddPot',
        {
          fundId: openFundId,
          pot: {
            potId: id(`pot:2027:${ward}`),
            name: ward,
            scope: { kind: 'ward', ward },
            budget: 5_000_000,
            ballot: { kind: 'knapsack' },
            rule: 'greedy_by_votes',
            tieBreak: { kind: 'equalshares', seed: id(`seed:2027:${ward}`) },
          },
        },
        admin(`fund:2027:pot:${ward}`),
      ),
    );
  }
  await run(new RunFundCommand('OpenProposals', { fundId: openFundId }, admin('fund:2027:open-proposals')));
  return { pastFundId, openFundId, residents: rows.length, ballots, sampleResident: author };
}
