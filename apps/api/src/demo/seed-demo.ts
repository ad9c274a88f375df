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
  RunDeliveryCommand,
  RunFundCommand,
  RunProposalCommand,
  RunResidentCommand,
  RunWardsCommand,
  type CommandInput,
} from '@civic/application';
import type { Role } from '@civic/domain';
import { ProjectionRunner } from '@civic/projections';
import { projectRoot } from '../project-root';

const DEMO_DIR = join(projectRoot(), 'apps', 'api', 'demo');
const NAMESPACE = '6f1d7c1e-8a40-4e8e-9c55-2f3f1e0c2a77';
const DAY = 24 * 3600 * 1000;

/** What the demo holds, for the start-up message. */
export interface DemoSummary {
  readonly pastFundId: string;
  /** This year's fund, open for voting in every pot. */
  readonly votingFundId: string;
  /** Next year's fund, open for proposals. */
  readonly openFundId: string;
  readonly residents: number;
  readonly ballots: number;
  /** A verified resident of Bow West, old enough, who has not voted yet: the one to sign in as. */
  readonly sampleResident: string;
}

/**
 * The resident the start-up message names: verified, in Bow West, not voted in this year's fund.
 * The same on every start, so a second start can name them without reading the store.
 */
export const DEMO_RESIDENT = 'TH-905001';

/** Residents of each ward besides the replayed election's voters: references TH-9WWNNN. */
const PER_WARD = 12;
/** Of those, the last few registered but not yet verified (they cannot vote until an officer verifies them). */
const UNVERIFIED_PER_WARD = 2;
/** Of those, the first few have already voted this year (so staff see live tallies). */
const VOTED_PER_WARD = 6;
/** One resident under the minimum age, in Whitechapel. */
export const DEMO_TOO_YOUNG = 'TH-920010';

/**
 * Seeds a demo borough on an empty store, through the same commands as the API, so that a
 * newcomer can make every journey at once:
 * - a past fund whose Bow East pot replays the ballots of a real election (so its tally and
 *   allocation are real), published, in delivery with milestones and spend;
 * - this year's fund, open for voting: a borough-wide pot and one per ward, with accepted
 *   proposals, the pots using approval, knapsack and cumulative ballots between them;
 * - next year's fund, open for proposals;
 * - residents in every ward: most verified, some not yet, one too young to vote.
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
  await run(new RunWardsCommand('ConfigureWards', { wards }, admin('wards')));
  const election: Election = await readPabulibFile(join(DEMO_DIR, 'Poland_Warszawa_2018_Niskie_Okecie.pb'));
  const reference = (voterId: string) => `TH-${voterId.padStart(6, '0')}`;

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
  // Voting is scheduled a day ahead and closed early once the replayed ballots are in: no window to
  // race, however slow the machine.
  const votingClosesAt = new Date(now.getTime() + DAY);
  await run(
    new RunFundCommand(
      'CreateFund',
      {
        fundId: pastFundId,
        name: 'You Decide! Bow East',
        description: 'Residents of Bow East chose how to spend a community regeneration fund.',
        currency: 'GBP',
        minimumAge: 16,
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
  const author = reference(election.ballots[0]?.voterId ?? '1');
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
  await run(
    new RunFundCommand(
      'CloseVotingEarly',
      { fundId: pastFundId, reason: 'The replayed election’s ballots are all in.' },
      admin('fund:2026:close-voting'),
    ),
  );
  await run(new ComputeAllocationCommand(pastFundId, potId, admin('allocation:2026:compute')));
  await run(new RunAllocationCommand('RatifyAllocation', { fundId: pastFundId, potId }, councillor('allocation:2026:ratify')));
  await run(new RunAllocationCommand('PublishAllocation', { fundId: pastFundId, potId }, councillor('allocation:2026:publish')));
  await run(new RunFundCommand('PublishResults', { fundId: pastFundId }, councillor('fund:2026:publish')));

  // The past fund goes into delivery: a milestone and a first spend for each funded project.
  await run(new RunFundCommand('StartDelivery', { fundId: pastFundId }, admin('fund:2026:delivery')));
  const allocation = await app.get(CommandRuntime).reader.allocation(potId);
  const funded = allocation.status === 'published' ? allocation.lines.filter((l) => l.funded) : [];
  const today = now.toISOString().slice(0, 10);
  for (const [i, line] of funded.entries()) {
    const key = `delivery:2026:${line.proposalId}`;
    await run(
      new RunDeliveryCommand(
        'ReportMilestone',
        {
          fundId: pastFundId,
          proposalId: line.proposalId,
          milestoneId: id(`${key}:design`),
          title: 'Design agreed with residents',
          status: 'done',
          note: 'Drawings shown at the community centre and online.',
        },
        admin(`${key}:design`),
      ),
    );
    await run(
      new RunDeliveryCommand(
        'ReportMilestone',
        {
          fundId: pastFundId,
          proposalId: line.proposalId,
          milestoneId: id(`${key}:works`),
          title: 'Works on site',
          status: i % 2 ? 'planned' : 'in_progress',
          note: '',
        },
        admin(`${key}:works`),
      ),
    );
    await run(
      new RunDeliveryCommand(
        'ReportSpend',
        {
          fundId: pastFundId,
          proposalId: line.proposalId,
          spendId: id(`${key}:spend:1`),
          amount: Math.round(line.amount * (i % 2 ? 0.2 : 0.55)),
          description: 'Design and first works',
          spentOn: today,
        },
        admin(`${key}:spend:1`),
      ),
    );
  }

  // Residents of every ward: TH-9WWNNN; the last two of each ward not yet verified; one too young.
  const born = (n: number) => `${now.getUTCFullYear() - 20 - ((n * 7) % 55)}-0${1 + (n % 9)}-1${n % 10}`;
  const wardResidents = wards.map((ward, w) =>
    Array.from({ length: PER_WARD }, (_, n) => ({
      ward,
      reference: `TH-9${String(w + 1).padStart(2, '0')}${String(n + 1).padStart(3, '0')}`,
      n,
    })),
  );
  const verified = wardResidents.flatMap((list) => list.slice(0, PER_WARD - UNVERIFIED_PER_WARD));
  const young = `${now.getUTCFullYear() - 14}-03-01`;
  const registerRows = verified.map((r) => `${r.reference},${r.ward},${r.reference === DEMO_TOO_YOUNG ? young : born(r.n)}`);
  await bus.execute(new ImportRegisterCommand(['reference,ward,date_of_birth', ...registerRows].join('\n'), admin('register:wards')));
  for (const r of wardResidents.flatMap((list) => list.slice(PER_WARD - UNVERIFIED_PER_WARD))) {
    await run(
      new RunResidentCommand(
        'RegisterResident',
        { reference: r.reference, ward: r.ward, dateOfBirth: born(r.n) },
        admin(`register:${r.reference}`),
      ),
    );
  }

  // This year's fund, open for voting in a borough-wide pot and one pot per ward.
  const votingFundId = id('fund:2027');
  const future = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  const closes = londonEvening(now, 14);
  await run(
    new RunFundCommand(
      'CreateFund',
      {
        fundId: votingFundId,
        name: 'Tower Hamlets Community Fund 2027',
        description: 'A borough-wide pot and a pot for every ward: vote for the projects you want in your community.',
        currency: 'GBP',
        minimumAge: 16,
        timeZone: 'Europe/London',
        schedule: { proposalsOpenAt: past(40), reviewStartsAt: past(20), votingOpensAt: past(2), votingClosesAt: closes },
      },
      admin('fund:2027:create'),
    ),
  );
  const boroughPotId = id('pot:2027:borough');
  const wardPots = wards.map((ward, w) => ({ ward, potId: id(`pot:2027:${ward}`), ...WARD_RULES[w % WARD_RULES.length] }));
  await run(
    new RunFundCommand(
      'AddPot',
      {
        fundId: votingFundId,
        pot: {
          potId: boroughPotId,
          name: 'Borough-wide',
          scope: { kind: 'borough' },
          budget: 1_500_000_00,
          ballot: { kind: 'approval', minPicks: 1, maxPicks: 5 },
          rule: 'equal_shares_with_completion',
          tieBreak: { kind: 'number' },
        },
      },
      admin('fund:2027:pot:borough'),
    ),
  );
  for (const pot of wardPots) {
    await run(
      new RunFundCommand(
        'AddPot',
        {
          fundId: votingFundId,
          pot: {
            potId: pot.potId,
            name: pot.ward,
            scope: { kind: 'ward', ward: pot.ward },
            budget: 50_000_00,
            ballot: pot.ballot,
            rule: pot.rule,
            tieBreak: { kind: 'number' },
          },
        },
        admin(`fund:2027:pot:${pot.ward}`),
      ),
    );
  }
  await run(new RunFundCommand('OpenProposals', { fundId: votingFundId }, admin('fund:2027:open-proposals')));
  const ideas: { potId: string; key: string; idea: Idea; author: string }[] = [
    ...BOROUGH_IDEAS.map((idea, i) => ({
      potId: boroughPotId,
      key: `borough:${i}`,
      idea,
      author: verified[(i * 17) % verified.length].reference,
    })),
    ...wardPots.flatMap((pot, w) =>
      WARD_IDEAS.map((idea, i) => ({
        potId: pot.potId,
        key: `${pot.ward}:${i}`,
        idea: { ...idea, cost: idea.cost + ((w * 37 + i * 13) % 9) * 250_00 },
        author: wardResidents[w][i % (PER_WARD - UNVERIFIED_PER_WARD)].reference,
      })),
    ),
  ];
  for (const { potId: pot, key, idea, author: by } of ideas) {
    await run(
      new RunProposalCommand(
        'SubmitProposal',
        {
          proposalId: id(`proposal:2027:${key}`),
          fundId: votingFundId,
          potId: pot,
          title: idea.title,
          summary: idea.summary,
          description: idea.description,
          category: idea.category,
          estimatedCost: idea.cost,
        },
        await resident(by, `proposal:2027:${key}:submit`),
      ),
    );
  }
  await run(new RunFundCommand('StartReview', { fundId: votingFundId }, admin('fund:2027:review')));
  for (const { key, idea } of ideas) {
    await run(
      new RunProposalCommand(
        'AcceptProposal',
        { proposalId: id(`proposal:2027:${key}`), officialCost: idea.cost },
        officer(`proposal:2027:${key}:accept`),
      ),
    );
  }
  await run(new RunFundCommand('OpenVoting', { fundId: votingFundId }, admin('fund:2027:open-voting')));
  // Some residents have voted already, in their ward's pot and the borough-wide pot.
  const accepted = (pot: string) => ideas.filter((i) => i.potId === pot);
  let cast = 0;
  for (const [w, pot] of wardPots.entries()) {
    for (const r of wardResidents[w].slice(0, VOTED_PER_WARD)) {
      if (r.reference === DEMO_RESIDENT || r.reference === DEMO_TOO_YOUNG) continue;
      const mine = accepted(pot.potId);
      const pick = (k: number) => id(`proposal:2027:${mine[(r.n + k) % mine.length].key}`);
      const content =
        pot.ballot.kind === 'cumulative'
          ? {
              kind: 'cumulative',
              points: [
                { proposalId: pick(0), points: 6 },
                { proposalId: pick(1), points: 4 },
              ],
            }
          : { kind: pot.ballot.kind, proposalIds: [pick(0), pick(2)] };
      await run(
        new RunBallotCommand(
          'CastBallot',
          { fundId: votingFundId, potId: pot.potId, voter: { reference: r.reference }, content } as never,
          await resident(r.reference, `ballot:2027:${r.reference}`),
        ),
      );
      const borough = accepted(boroughPotId);
      const choose = [0, 3, 5].map((k) => id(`proposal:2027:${borough[(r.n + w + k) % borough.length].key}`));
      await run(
        new RunBallotCommand(
          'CastBallot',
          {
            fundId: votingFundId,
            potId: boroughPotId,
            voter: { reference: r.reference },
            content: { kind: 'approval', proposalIds: [...new Set(choose)] },
          } as never,
          await resident(r.reference, `ballot:2027:borough:${r.reference}`),
        ),
      );
      cast += 2;
    }
  }

  // Next year's fund, open for proposals: a borough-wide pot for young people's projects.
  const openFundId = id('fund:2028');
  await run(
    new RunFundCommand(
      'CreateFund',
      {
        fundId: openFundId,
        name: 'Young People’s Fund 2028',
        description: 'Propose a project for young people anywhere in the borough: sport, music, study spaces, clubs.',
        currency: 'GBP',
        minimumAge: 16,
        timeZone: 'Europe/London',
        schedule: { proposalsOpenAt: past(1), reviewStartsAt: future(30), votingOpensAt: future(45), votingClosesAt: future(59) },
      },
      admin('fund:2028:create'),
    ),
  );
  await run(
    new RunFundCommand(
      'AddPot',
      {
        fundId: openFundId,
        pot: {
          potId: id('pot:2028:borough'),
          name: 'Borough-wide',
          scope: { kind: 'borough' },
          budget: 400_000_00,
          ballot: { kind: 'approval', minPicks: 1, maxPicks: 3 },
          rule: 'equal_shares_with_completion',
          tieBreak: { kind: 'number' },
        },
      },
      admin('fund:2028:pot:borough'),
    ),
  );
  await run(new RunFundCommand('OpenProposals', { fundId: openFundId }, admin('fund:2028:open-proposals')));
  return {
    pastFundId,
    votingFundId,
    openFundId,
    residents: rows.length + wardResidents.flat().length,
    ballots: ballots + cast,
    sampleResident: DEMO_RESIDENT,
  };
}

/** 10pm London time, `days` from now, as a UTC instant (the Intl API gives the offset, summer or winter). */
function londonEvening(now: Date, days: number): string {
  const day = new Date(now.getTime() + days * DAY);
  const date = day.toISOString().slice(0, 10);
  const offsetName = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'shortOffset' })
    .formatToParts(new Date(`${date}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  const hours = offsetName === 'GMT' ? 0 : Number(offsetName?.replace('GMT', '') ?? 0);
  return new Date(Date.parse(`${date}T22:00:00Z`) - hours * 3600 * 1000).toISOString();
}

/** Ward pots take turns: knapsack (greedy), cumulative (equal shares), approval (equal shares). */
const WARD_RULES = [
  { ballot: { kind: 'knapsack' }, rule: 'greedy_by_votes' },
  { ballot: { kind: 'cumulative', points: 10 }, rule: 'equal_shares_with_completion' },
  { ballot: { kind: 'approval', minPicks: 1, maxPicks: 3 }, rule: 'equal_shares_with_completion' },
] as const;

interface Idea {
  readonly title: string;
  readonly summary: string;
  readonly description: string;
  readonly category: string;
  /** Pence. */
  readonly cost: number;
}

const BOROUGH_IDEAS: Idea[] = [
  {
    title: 'Free swimming lessons for every primary school child',
    summary: 'Ten weeks of lessons at the borough’s pools for children who cannot swim.',
    description:
      'Many children in the borough leave primary school unable to swim. This project pays for ten weeks of lessons at Mile End and Whitechapel pools, with transport from school.',
    category: 'sport',
    cost: 320_000_00,
  },
  {
    title: 'Safer crossings outside schools',
    summary: 'Raised zebra crossings and school streets at the ten busiest school gates.',
    description:
      'Raised crossings, wider pavements and timed closures (school streets) at the ten school gates with the most near misses reported by parents.',
    category: 'streets',
    cost: 450_000_00,
  },
  {
    title: 'Warm spaces in libraries and Idea Stores',
    summary: 'Longer winter opening, hot drinks and activities in five libraries.',
    description:
      'Keep five libraries and Idea Stores open until 9pm from November to March, with hot drinks, homework help and activities for older residents.',
    category: 'community',
    cost: 180_000_00,
  },
  {
    title: 'Tree planting on main roads',
    summary: '600 street trees on the borough’s most polluted roads.',
    description:
      'Plant and water for three years 600 street trees along Commercial Road, Mile End Road and the A12, chosen with residents.',
    category: 'environment',
    cost: 390_000_00,
  },
  {
    title: 'Bengali and English family learning classes',
    summary: 'Free evening classes for parents and children learning together.',
    description:
      'Classes in community centres where parents improve their English or Bengali while children do homework in the next room, with a crèche.',
    category: 'education',
    cost: 140_000_00,
  },
  {
    title: 'Youth music studio in Poplar',
    summary: 'A recording studio and free sessions for 13 to 19 year olds.',
    description: 'Fit out a recording and rehearsal studio in Poplar, with youth workers running free sessions four evenings a week.',
    category: 'young people',
    cost: 260_000_00,
  },
  {
    title: 'Public toilets in parks',
    summary: 'Reopen and run accessible toilets in six parks.',
    description:
      'Reopen, refurbish and staff accessible toilets with baby changing in Victoria Park, Mile End Park and four smaller parks.',
    category: 'parks',
    cost: 300_000_00,
  },
  {
    title: 'Cycle training and bike loans',
    summary: 'Free cycle training for adults and a bike loan scheme.',
    description: 'Free training for adults who never learnt to ride, and 200 bikes to borrow for three months, with locks and lights.',
    category: 'transport',
    cost: 120_000_00,
  },
  {
    title: 'Food growing on estates',
    summary: 'Raised beds, tools and a gardener for twenty estates.',
    description: 'Raised beds, a tool shed and a gardener visiting weekly, on twenty estates whose residents ask for them.',
    category: 'environment',
    cost: 210_000_00,
  },
  {
    title: 'Mental health drop-ins for young people',
    summary: 'Weekly drop-ins with trained counsellors in youth centres.',
    description: 'Weekly drop-ins in four youth centres, with trained counsellors and peer supporters, no referral needed.',
    category: 'health',
    cost: 230_000_00,
  },
];

const WARD_IDEAS: Idea[] = [
  {
    title: 'New benches and shade in the local park',
    summary: 'Twelve benches, two with shade, near the play area.',
    description:
      'Twelve benches along the main paths of the park, two of them under a shade sail near the play area, for parents and older residents.',
    category: 'parks',
    cost: 12_000_00,
  },
  {
    title: 'Brighter lighting on the walk to the station',
    summary: 'LED lights on the dark stretch residents avoid at night.',
    description:
      'Replace and add street lights on the footpath residents use to reach the station, where many say they feel unsafe after dark.',
    category: 'streets',
    cost: 18_000_00,
  },
  {
    title: 'Summer holiday club with lunch',
    summary: 'Four weeks of activities and a hot lunch for local children.',
    description:
      'A holiday club in the community centre for children aged 5 to 12, with sport, arts and a free hot lunch every day for four weeks.',
    category: 'young people',
    cost: 15_000_00,
  },
  {
    title: 'Community fridge and food-sharing point',
    summary: 'A fridge and shelves where shops and neighbours share food.',
    description: 'A community fridge run by volunteers where local shops and neighbours leave surplus food for anyone to take.',
    category: 'community',
    cost: 6_000_00,
  },
  {
    title: 'Murals by local young artists',
    summary: 'Three murals on blank walls, designed with local schools.',
    description: 'Three large murals on blank walls of the ward, designed and painted by young people with a professional artist.',
    category: 'arts',
    cost: 9_000_00,
  },
  {
    title: 'Outdoor gym equipment',
    summary: 'Free outdoor fitness equipment for all ages.',
    description: 'A set of outdoor gym equipment suitable for all ages and abilities, with signs showing how to use it safely.',
    category: 'sport',
    cost: 22_000_00,
  },
];
