import { ProposalReader } from '../apps/api/src/proposals/proposal.reader';
import { startApi } from './support/api-client';
import { votingFund } from './support/voting-fund';

/**
 * What a real server writes to its log when it refuses: a refusal (bad input, the wrong phase,
 * a caller without the role) is routine, at info at most and without a stack; only an
 * unexpected failure is an error, with its stack. The pino lines are captured as written.
 */
jest.setTimeout(60_000);

type Line = { level: number; msg?: string; code?: string; field?: string; err?: { stack?: string }; stack?: string };
const LEVEL = { info: 30, warn: 40, error: 50 };

/** A server logging at `level` into an array, and the refusals a client meets every day. */
async function refusalsLogged(level: string) {
  const lines: Line[] = [];
  const api = await startApi({ LOG_LEVEL: level }, { logDestination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  try {
    const fund = await votingFund(api, ['TH-log-1'], { until: 'proposals_open' });
    const resident = fund.tokens['TH-log-1'];
    const codes = [
      // A title far too long.
      await api.gql(
        `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
        {
          i: {
            fundId: fund.fundId,
            potId: fund.potId,
            title: 'x'.repeat(5000),
            summary: 's',
            description: 'd',
            category: 'parks',
            estimatedCost: '1000',
          },
        },
        resident,
      ),
      // A ballot in a pot not open for voting.
      await api.gql(
        `mutation($f: ID!, $p: ID!) { castBallot(fundId: $f, potId: $p, content: { proposalIds: [] }) { position } }`,
        { f: fund.fundId, p: fund.potId },
        resident,
      ),
      // A resident doing an administrator's work; a page larger than allowed.
      await api.gql(`mutation($id: ID!) { startReview(fundId: $id) { fund { phase } } }`, { id: fund.fundId }, resident),
      await api.gql(`{ proposals(first: 1000) { totalCount } }`),
    ].map((answer) => answer.errors?.[0]?.extensions.code);
    return { api, lines, codes };
  } catch (err) {
    await api.stop();
    throw err;
  }
}

describe('refusals in the log', () => {
  it('logs refusals at info without a stack, naming their code and field', async () => {
    const { api, lines, codes } = await refusalsLogged('info');
    await api.stop();
    expect(codes).toEqual([expect.stringMatching(/^PROPOSAL\./), expect.stringMatching(/^BALLOT\./), 'AUTH.FORBIDDEN', 'INPUT.INVALID']);
    const refusals = lines.filter((l) => l.code !== undefined);
    expect(refusals.map((l) => l.code)).toEqual(codes);
    for (const line of refusals) {
      expect(line.level).toBe(LEVEL.info);
      expect(line.err).toBeUndefined();
      expect(line.stack).toBeUndefined();
      expect(line.field).toMatch(/^(Mutation|Query)\./);
    }
    expect(lines.filter((l) => l.level >= LEVEL.warn)).toEqual([]);
  });

  it('writes nothing for refusals at LOG_LEVEL=warn', async () => {
    const { api, lines, codes } = await refusalsLogged('warn');
    await api.stop();
    expect(codes.every((c) => c !== undefined && c !== 'INTERNAL_SERVER_ERROR')).toBe(true);
    expect(lines).toEqual([]);
  });

  it('logs an unexpected failure as an error, with its stack', async () => {
    const { api, lines } = await refusalsLogged('warn');
    try {
      // A bug in a reader (injected): nothing a caller did.
      jest.spyOn(api.app.get(ProposalReader), 'page').mockImplementation(() => {
        throw new TypeError("Cannot read properties of undefined (reading 'seq')");
      });
      const answer = await api.gql('{ proposals { totalCount } }');
      expect(answer.errors?.[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      const errors = lines.filter((l) => l.level === LEVEL.error);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ field: 'Query.proposals', err: { stack: expect.stringMatching(/\n\s+at /) } });
    } finally {
      await api.stop();
    }
  });
});
