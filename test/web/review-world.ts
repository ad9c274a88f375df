import type { startWeb } from './web-client';
import type { WebWorld } from './web-world';

type Api = Awaited<ReturnType<typeof startWeb>>;
export interface ReviewWorld {
  fundId: string;
  pot: string;
  otherPot: string;
  ids: Record<string, string>;
}

const DAY = 86_400_000;

export const ok = (r: { data?: any; errors?: unknown }) => {
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
};

/** A fund in review: a Mile End pot with four proposals waiting, and a borough pot with one. */
export async function reviewFund(api: Api, world: WebWorld): Promise<ReviewWorld> {
  const admin = await api.signIn('administrator', 'admin-r');
  const resident = await api.signIn('resident', world.residents[0]);
  const now = Date.now();
  const fundId = ok(
    await api.gql(
      `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
      {
        i: {
          name: 'Review Fund 2027',
          description: 'A fund in review for the reviewers’ pages.',
          schedule: {
            proposalsOpenAt: new Date(now - 20 * DAY).toISOString(),
            reviewStartsAt: new Date(now - 10 * DAY).toISOString(),
            votingOpensAt: new Date(now + 10 * DAY).toISOString(),
            votingClosesAt: new Date(now + 20 * DAY).toISOString(),
          },
        },
      },
      admin,
    ),
  ).createFund.fund.id as string;
  const addPot = async (name: string, ward: string | null) =>
    (
      ok(
        await api.gql(
          `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id name } } } }`,
          { i: { fundId, name, ward, budget: '3000000', rule: 'greedy_by_votes', ballot: { kind: 'approval', minPicks: 1, maxPicks: 2 } } },
          admin,
        ),
      ).addPot.fund.pots as { id: string; name: string }[]
    ).find((p) => p.name === name)!.id;
  const pot = await addPot('Mile End review', 'Mile End');
  const otherPot = await addPot('Borough review', null);
  ok(await api.gql(`mutation($id: ID!) { openProposals(fundId: $id) { fund { phase } } }`, { id: fundId }, admin));
  const ids: Record<string, string> = {};
  for (const [title, potId] of [
    ['Pond dipping platform', pot],
    ['New benches', pot],
    ['Benches for the park', pot],
    ['Ice rink on the roof', pot],
    ['Borough tree trail', otherPot],
  ] as const) {
    ids[title] = ok(
      await api.gql(
        `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
        {
          i: {
            fundId,
            potId,
            title,
            summary: `${title}.`,
            description: `${title}, in detail.`,
            category: 'parks',
            estimatedCost: '500000',
          },
        },
        resident,
      ),
    ).submitProposal.proposal.id;
  }
  ok(await api.gql(`mutation($id: ID!) { startReview(fundId: $id) { fund { phase } } }`, { id: fundId }, admin));
  return { fundId, pot, otherPot, ids };
}
