import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePabulib } from '@civic/allocation';
import { openSchedule, type startApi } from './api-client';
import { ok } from './voting-fund';

type Api = Awaited<ReturnType<typeof startApi>>;

/** A small real election (Assen 2024: 14 projects, 84 votes) in the pabulib format. */
export const ASSEN_2024 = readFileSync(join(__dirname, '../../libs/allocation/test/fixtures/pabulib/Netherlands_Assen_2024.pb'), 'utf8');

/** A draft fund with one pot fit for Assen 2024 (approval, its budget), a step to move its phase, and its publication of ballots. */
export async function fundForAssen(api: Api, admin: string) {
  const election = parsePabulib(ASSEN_2024);
  const fundId = ok(
    await api.gql(
      `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
      { i: { name: 'Assen 2024', description: 'Imported', schedule: openSchedule(1) } },
      admin,
    ),
  ).createFund.fund.id as string;
  const maxPicks = Math.max(...election.ballots.map((b) => b.items.length));
  const potId = ok(
    await api.gql(
      `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id } } } }`,
      { i: { fundId, name: 'Assen', budget: '10000000', rule: 'greedy_by_votes', ballot: { kind: 'approval', minPicks: 0, maxPicks } } },
      admin,
    ),
  ).addPot.fund.pots[0].id as string;
  const phase = async (step: string) =>
    ok(await api.gql(`mutation($id: ID!) { ${step}(fundId: $id) { position } }`, { id: fundId }, admin));
  /** How the fund will publish its ballots, as the API says now. */
  const publication = async () =>
    ok(await api.gql(`query($id: ID!) { fund(id: $id) { ballotPublication } }`, { id: fundId }, admin)).fund.ballotPublication as string;
  return { election, fundId, potId, phase, publication };
}
