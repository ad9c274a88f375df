import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNullableType, isListType, isObjectType, parse } from 'graphql';
import { LIST_SIZES } from './operation-cost';
import { costError, operationCost, QUERY_LIMITS } from './operation-limits';

const schema = buildSchema(readFileSync(join(__dirname, '../../schema.graphql'), 'utf8'));
const fields = Object.values(schema.getTypeMap())
  .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
  .flatMap((t) => Object.values((t as import('graphql').GraphQLObjectType).getFields()).map((f) => ({ key: `${t.name}.${f.name}`, f })));

describe('operation cost', () => {
  it('knows the size of every list field and every page of the schema', () => {
    const lists = fields.filter(({ f }) => isListType(getNullableType(f.type)) || f.args.some((a) => a.name === 'first'));
    expect(lists.map(({ key }) => key).filter((key) => !(key in LIST_SIZES))).toEqual([]);
    const known = new Set(fields.map(({ key }) => key));
    expect(Object.keys(LIST_SIZES).filter((key) => !known.has(key))).toEqual([]);
  });

  it('counts a page by its first, from a literal or a variable alike, up to the page maximum', () => {
    const cost = (query: string, variables?: Record<string, unknown>) => operationCost(schema, parse(query), undefined, variables);
    const one = cost('{ proposals(first: 1) { edges { node { id title } } } }');
    expect(cost('{ proposals(first: 50) { edges { node { id title } } } }')).toBe(50 * one);
    expect(cost('query($n: Int!) { proposals(first: $n) { edges { node { id title } } } }', { n: 50 })).toBe(50 * one);
    // Past the maximum the resolver refuses the page: it costs no more than the largest one.
    expect(cost('{ proposals(first: 100000) { edges { node { id title } } } }')).toBe(100 * one);
    // The default page size counts when first is left out.
    expect(cost('{ proposals { edges { node { id title } } } }')).toBe(20 * one);
  });

  it('keeps a verdict within the limit for one document, and still refuses it with a page size or a directive that costs more', () => {
    // One parsed document, as Apollo keeps it for every request of the same text.
    const document = parse(`query Heavy($n: Int!, $fund: ID, $more: Boolean! = false) {
      proposals(first: $n, fundId: $fund) { edges { node { id history { type actorRole time }
        again: history @include(if: $more) { type actorRole time } thrice: history @include(if: $more) { type actorRole time } } } }
    }`);
    const verdict = (n: number, more: boolean, fund = 'f-1') => costError(schema, document, undefined, { n, more, fund });
    expect(operationCost(schema, document, undefined, { n: 100, more: true })).toBeGreaterThan(QUERY_LIMITS.maxCost);
    expect(verdict(100, false)).toBeUndefined();
    expect(verdict(10, true)).toBeUndefined();
    // Another fund (a variable the cost does not read) is the same verdict; the directive, or the bigger page, is not.
    expect(verdict(100, false, 'f-2')).toBeUndefined();
    expect(verdict(100, true)?.message).toMatch(/cost limit/);
    expect(verdict(100, true, 'f-2')?.message).toMatch(/cost limit/);
    expect(verdict(10, true)).toBeUndefined();
  });
});
