import type { startApi } from './api-client';
import { ok, type VotingFund } from './voting-fund';

type Api = Awaited<ReturnType<typeof startApi>>;

/** The numbers printed on a pot's paper forms: its accepted proposals' numbers, in order. */
export async function acceptedNumbers(api: Api, potId: string): Promise<number[]> {
  const page = ok(
    await api.gql(`query($p: ID!) { proposals(potId: $p, status: accepted, first: 10, order: number) { edges { node { number } } } }`, {
      p: potId,
    }),
  );
  return page.proposals.edges.map((e: { node: { number: number } }) => e.node.number);
}

/** A batch of paper forms collected at Bow Library two minutes ago, entered through the API by the fund's reviewer; its id. */
export async function enterBowBatch(api: Api, f: VotingFund, scanReference: string, entries: object[], sheetsCounted = entries.length) {
  const entered = await api.gql(
    `mutation($i: PaperBatchInput!) { enterPaperBatch(input: $i) { batchId } }`,
    {
      i: {
        fundId: f.fundId,
        potId: f.potId,
        officer: 'Officer Begum',
        location: 'Bow Library',
        collectedAt: new Date(Date.now() - 120_000).toISOString(),
        scanReference,
        sheetsCounted,
        entries,
      },
    },
    f.reviewer,
  );
  return ok(entered).enterPaperBatch.batchId as string;
}
