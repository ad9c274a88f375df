import { startApi } from '../support/api-client';
import { votingFund } from '../support/voting-fund';

let api: Awaited<ReturnType<typeof startApi>>;
afterAll(() => api?.stop());

describe('refusals name their field and values (extensions.field, extensions.params)', () => {
  it('tells a form which field a refusal is about and the numbers its message holds', async () => {
    api = await startApi();
    const fund = await votingFund(api, ['TH-610001'], { until: 'proposals_open' });
    const token = fund.tokens['TH-610001'];
    const submit = (changes: Record<string, unknown>) =>
      api.gql(
        `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
        {
          i: {
            fundId: fund.fundId,
            potId: fund.potId,
            title: 'A',
            summary: 'A',
            description: 'A',
            category: 'parks',
            estimatedCost: '100',
            ...changes,
          },
        },
        token,
      );
    expect((await submit({ title: 'x'.repeat(121) })).errors?.[0].extensions).toEqual({
      code: 'PROPOSAL.INVALID',
      field: 'title',
      params: { max: 120 },
    });
    expect((await submit({ estimatedCost: '99999999' })).errors?.[0].extensions).toEqual({
      code: 'PROPOSAL.OVER_POT_BUDGET',
      field: 'estimatedCost',
    });
    const voting = await votingFund(api, ['TH-610002']);
    const cast = await api.gql(
      `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
      { f: voting.fundId, p: voting.potId, c: { proposalIds: voting.proposals } },
      voting.tokens['TH-610002'],
    );
    expect(cast.errors?.[0].extensions).toEqual({ code: 'BALLOT.TOO_MANY_PICKS', params: { max: 2 } });
    // A refusal without details keeps its plain shape.
    const closed = await api.gql(`mutation($id: ID!) { openVoting(fundId: $id) { fund { phase } } }`, { id: voting.fundId }, voting.admin);
    expect(Object.keys(closed.errors?.[0].extensions ?? {})).toEqual(['code']);
  });
});
