import { getNamedType, isNonNullType, type GraphQLField } from 'graphql';
import { type Gql, startApi } from './support/api-client';
import { allFields, placeholder, schema } from './support/schema-selection';
import { votingFund, type VotingFund } from './support/voting-fund';

/**
 * An explicit `null` for an optional argument means what leaving it out means, on every field
 * of the schema. Every query field with optional arguments is asked without them and with
 * each of them (and all of them) null, by every role, and must answer the same. Every
 * mutation with optional arguments runs, by every role, without them on one server and with
 * them null on a twin server holding the same world, and must be answered with the same code.
 * The fields come from the schema: a new optional argument is covered.
 */
jest.setTimeout(240_000);

type Field = GraphQLField<unknown, unknown>;
type Api = Awaited<ReturnType<typeof startApi>>;
const ROLES = ['anonymous', 'resident', 'reviewer', 'councillor', 'administrator', 'auditor'] as const;
const RESIDENT = 'TH-700001';

const optionalArgs = (f: Field) => f.args.filter((a) => !isNonNullType(a.type));
const withOptionalArgs = (fields: Record<string, Field>) => Object.values(fields).filter((f) => optionalArgs(f).length > 0);
const QUERIES = withOptionalArgs(schema.getQueryType()!.getFields());
/** Every mutation: all have optional arguments (a commandId) or input objects with optional fields. */
const MUTATIONS = Object.values(schema.getMutationType()!.getFields());

/** The world's ids by argument name, for the required arguments (the rest get placeholders). */
const knownIn = (world: VotingFund, field: string): Record<string, unknown> => ({
  fundId: world.fundId,
  potId: world.potId,
  proposalId: world.proposals[0],
  survivorId: world.proposals[0],
  duplicateIds: [world.proposals[1]],
  reference: RESIDENT,
  id: field === 'fund' ? world.fundId : world.proposals[0],
});

/**
 * `field` with its required arguments as variables and `nulls` written as literal nulls; the
 * other optional arguments left out. `nullFields`: the optional fields of its input objects
 * are given as null.
 */
function operation(kind: 'query' | 'mutation', field: Field, nulls: readonly string[], known: Record<string, unknown>, nullFields = false) {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const declared = required.map((a) => `$${a.name}: ${a.type}`).join(', ');
  const args = [...required.map((a) => `${a.name}: $${a.name}`), ...nulls.map((n) => `${n}: null`)].join(', ');
  const selection = allFields(getNamedType(field.type), 4);
  const text = `${kind}${declared ? `(${declared})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection ? ` { ${selection} }` : ''} }`;
  const variables = Object.fromEntries(required.map((a) => [a.name, placeholder(a.type, a.name, known, nullFields)]));
  return { text, variables };
}

/** What to compare of an answer: its data and its errors without their place in the text. */
const outcome = (answer: Gql) => ({
  data: answer.data,
  errors: (answer.errors ?? []).map((e: any) => ({ code: e.extensions?.code, message: e.message, path: e.path })),
});

async function world(api: Api) {
  const fund = await votingFund(api, [RESIDENT]);
  const tokens: Record<string, string | undefined> = { anonymous: undefined, resident: fund.tokens[RESIDENT] };
  for (const role of ROLES.slice(2)) tokens[role] = await api.signIn(role, `${role}-1`);
  return { fund, tokens };
}

let a: Api;
let b: Api;
let worldA: Awaited<ReturnType<typeof world>>;
let worldB: Awaited<ReturnType<typeof world>>;

beforeAll(async () => {
  [a, b] = await Promise.all([startApi(), startApi()]);
  worldA = await world(a);
  worldB = await world(b);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('an explicit null for an optional argument', () => {
  it('finds the fields with optional arguments in the schema', () => {
    expect(QUERIES.map((f) => f.name)).toEqual(expect.arrayContaining(['tally', 'proposals', 'fund', 'funds', 'auditLog']));
    expect(MUTATIONS.length).toBeGreaterThan(10);
  });

  it.each(QUERIES.map((f) => [f.name, f] as const))('answers %s as if the argument were left out, for every role', async (_name, field) => {
    const known = knownIn(worldA.fund, field.name);
    const names = optionalArgs(field).map((arg) => arg.name);
    for (const role of ROLES) {
      const ask = (nulls: readonly string[]) => {
        const { text, variables } = operation('query', field, nulls, known);
        return a.gql(text, variables, worldA.tokens[role]).then(outcome);
      };
      const absent = await ask([]);
      for (const nulls of [...names.map((n) => [n]), names]) {
        expect({ role, nulls, ...(await ask(nulls)) }).toEqual({ role, nulls, ...absent });
      }
    }
  });

  it('runs every mutation as if its optional arguments and input fields were left out, for every role', async () => {
    const differences: string[] = [];
    for (const field of MUTATIONS) {
      const nulls = optionalArgs(field).map((arg) => arg.name);
      for (const role of ROLES) {
        const left = operation('mutation', field, [], knownIn(worldA.fund, field.name));
        const nulled = operation('mutation', field, nulls, knownIn(worldB.fund, field.name), true);
        const codes = async (api: Api, tokens: Record<string, string | undefined>, op: typeof left) =>
          ((await api.gql(op.text, op.variables, tokens[role])).errors ?? []).map((e) => e.extensions.code).join(',');
        const [absent, nulled_] = await Promise.all([codes(a, worldA.tokens, left), codes(b, worldB.tokens, nulled)]);
        if (absent !== nulled_ || /INTERNAL_SERVER_ERROR/.test(nulled_))
          differences.push(`${field.name} as ${role}: left out → "${absent}", null → "${nulled_}"`);
      }
    }
    expect(differences).toEqual([]);
  });
});
