import { getNamedType } from 'graphql';
import { QUERY_LIMITS } from '../apps/api/src/graphql/operation-limits';
import { startApi } from './support/api-client';
import { allFields, needsNoArgs, schema } from './support/schema-selection';

/**
 * Every connection of the schema (a query field that takes `first`) answers its documented
 * largest page with every field selected: the cost limit leaves room for it. The selection is
 * made from the schema, so a new connection is covered, and must document its maximum.
 */
jest.setTimeout(60_000);

const QUERY = schema.getQueryType()!.getFields();
const CONNECTIONS = Object.values(QUERY).filter((f) => f.args.some((a) => a.name === 'first'));
const ROLES = ['resident', 'reviewer', 'councillor', 'administrator', 'auditor'] as const;

/** The largest page a connection's `first` documents ("At most N."). */
const maximum = (name: string) => {
  const doc = QUERY[name].args.find((a) => a.name === 'first')!.description ?? '';
  const match = /At most (\d+)\./.exec(doc);
  if (!match) throw new Error(`${name}(first:) does not document its maximum ("At most N.")`);
  return Number(match[1]);
};

/** `name(first: max)` with every field, and any other required argument a placeholder. */
const largestPage = (name: string, first: number) => {
  const field = QUERY[name];
  const required = field.args.filter((a) => a.name !== 'first' && !needsNoArgs({ ...field, args: [a] }));
  const args = [`first: ${first}`, ...required.map((a) => `${a.name}: "x"`)].join(', ');
  return `{ ${name}(${args}) { ${allFields(getNamedType(field.type), QUERY_LIMITS.maxDepth - 1)} } }`;
};

let api: Awaited<ReturnType<typeof startApi>>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  api = await startApi();
  for (const role of ROLES) tokens[role] = await api.signIn(role, role === 'resident' ? 'TH-cost-1' : `${role}-1`);
});

afterAll(() => api.stop());

describe('the cost limit and the documented page sizes', () => {
  it('finds the connections of the schema', () => {
    expect(CONNECTIONS.map((f) => f.name)).toEqual(expect.arrayContaining(['proposals', 'auditLog', 'register']));
  });

  it.each(CONNECTIONS.map((f) => [f.name]))('answers %s at its documented maximum with every field selected', async (name) => {
    const query = largestPage(name, maximum(name));
    const answers = await Promise.all(ROLES.map((role) => api.gql(query, {}, tokens[role])));
    for (const answer of answers) {
      expect(answer.errors?.filter((e) => /^GRAPHQL_/.test(e.extensions.code)) ?? []).toEqual([]);
    }
    // Someone may read it, whole: answered, or refused only because the placeholder names nothing
    // (a field that refuses an unknown id, as bulletinBoard refuses an unknown pot).
    const readable = (a: (typeof answers)[number]) =>
      (a.errors === undefined && a.data?.[name]) || (a.errors?.length === 1 && a.errors[0].extensions.code === 'NOT_FOUND');
    expect(answers.some(readable)).toBe(true);
  });

  it.each(CONNECTIONS.map((f) => [f.name]))('still refuses %s at its maximum as often as aliases allow', async (name) => {
    const page = largestPage(name, maximum(name)).slice(1, -1);
    const many = Array.from({ length: QUERY_LIMITS.maxAliases }, (_, i) => `a${i}: ${page.trim()}`).join(' ');
    const answer = await api.gql(`{ ${many} }`, {}, tokens.auditor);
    expect(answer.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringMatching(/cost/i),
    });
  });
});
