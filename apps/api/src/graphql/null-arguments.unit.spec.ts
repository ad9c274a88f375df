import { buildSchema, execute, parse, type GraphQLObjectType } from 'graphql';
import { nullMeansAbsent } from './null-arguments';

const schema = buildSchema(`
  input Mark { proposalId: ID!, points: Int, note: String = "none" }
  input Content { kind: String!, marks: [Mark!], ids: [ID], nested: Content }
  input Strict { id: ID!, ids: [ID!]! }
  type Query {
    cast(potId: ID!, content: Content!, first: Int = 10, asOf: String): Boolean
    strict(input: Strict!, potId: ID!): Boolean
  }
`);
let seen: Record<string, unknown>[] = [];
for (const field of Object.values((schema.getType('Query') as GraphQLObjectType).getFields()))
  field.resolve = (_source, args) => {
    seen.push(args);
    return true;
  };
nullMeansAbsent(schema);

/** The arguments the resolver of the operation's one field was handed. */
function argsOf(query: string, variableValues: Record<string, unknown> = {}) {
  seen = [];
  const result = execute({ schema, document: parse(query), variableValues }) as { errors?: unknown };
  expect(result.errors).toBeUndefined();
  return seen[0];
}

describe(nullMeansAbsent.name, () => {
  it('takes an optional argument’s null as its default, or as left out when it has none', () => {
    expect(argsOf(`{ cast(potId: "p", content: { kind: "k" }, first: null, asOf: null) }`)).toEqual({
      potId: 'p',
      content: { kind: 'k' },
      first: 10,
    });
  });

  it('takes the nulls of optional input fields out at any depth and in lists, keeping null items of a list', () => {
    const args = argsOf(`query($c: Content!) { cast(potId: "p", content: $c) }`, {
      c: {
        kind: 'k',
        marks: [
          { proposalId: 'a', points: null, note: null },
          { proposalId: 'b', points: 2 },
        ],
        ids: ['x', null],
        nested: { kind: 'n', marks: null, nested: { kind: 'm', ids: null } },
      },
    });
    expect(args).toEqual({
      potId: 'p',
      first: 10,
      content: {
        kind: 'k',
        marks: [
          { proposalId: 'a', note: 'none' },
          { proposalId: 'b', points: 2, note: 'none' },
        ],
        ids: ['x', null],
        nested: { kind: 'n', nested: { kind: 'm' } },
      },
    });
  });

  it('hands over the arguments as given when there is no null to take out', () => {
    const content = { kind: 'k', marks: [{ proposalId: 'a', points: 1, note: 'n' }] };
    const args = argsOf(`query($c: Content!) { cast(potId: "p", content: $c, first: 3) }`, { c: content });
    expect(args).toEqual({ potId: 'p', first: 3, content });
    const strict = argsOf(`{ strict(input: { id: "i", ids: ["a"] }, potId: "p") }`);
    expect(strict).toEqual({ input: { id: 'i', ids: ['a'] }, potId: 'p' });
  });
});
