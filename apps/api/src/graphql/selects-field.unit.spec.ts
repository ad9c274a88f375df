import { buildSchema, execute, parse, type GraphQLResolveInfo } from 'graphql';
import { mightSelect } from './selects-field';

const schema = buildSchema(`
  type Line { id: ID }
  type Tally { ballots: Int, lines: [Line] }
  type Query { tally: Tally }
`);

/** Whether `lines` may be selected under `tally` in this operation, as the resolver of `tally` sees it. */
function linesAskedIn(query: string): boolean {
  let asked: boolean | undefined;
  execute({
    schema,
    document: parse(query),
    variableValues: { s: false },
    rootValue: {
      tally: (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
        asked = mightSelect(info, 'lines');
        return { ballots: 1, lines: [] };
      },
    },
  });
  return asked!;
}

describe(mightSelect.name, () => {
  it('is false only when the selections provably leave the field out', () => {
    expect(linesAskedIn(`{ tally { ballots } }`)).toBe(false);
    expect(linesAskedIn(`{ tally { ballots ... on Tally { ballots } } }`)).toBe(false);
    expect(linesAskedIn(`query { tally { ...Counts } } fragment Counts on Tally { ballots }`)).toBe(false);
  });

  it('is true when the field is selected however it is named or reached', () => {
    expect(linesAskedIn(`{ tally { lines { id } } }`)).toBe(true);
    expect(linesAskedIn(`{ tally { rows: lines { id } } }`)).toBe(true);
    expect(linesAskedIn(`{ tally { ... on Tally { lines { id } } } }`)).toBe(true);
    expect(linesAskedIn(`{ tally { ...A } } fragment A on Tally { ...B } fragment B on Tally { lines { id } }`)).toBe(true);
    expect(linesAskedIn(`query($s: Boolean!) { tally { lines @skip(if: $s) { id } } }`)).toBe(true);
  });

  it('counts a field as selected in any of the field’s nodes (the same field asked twice)', () => {
    expect(linesAskedIn(`{ tally { ballots } tally { lines { id } } }`)).toBe(true);
  });
});
