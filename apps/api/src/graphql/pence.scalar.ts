import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * An amount in integer pence (minor units), as a decimal string: GraphQL's Int stops at
 * 2^31 − 1 (£21.4 million) and a float must never hold money.
 */
export const PenceScalar = new GraphQLScalarType<number, string>({
  name: 'Pence',
  description: 'A whole, non-negative amount in pence (minor units), as a decimal string, e.g. "2500000" for £25,000.',
  serialize: (value) => String(value),
  parseValue: (value) => parsePence(value),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parsePence(ast.value);
    throw new GraphQLError('Pence must be a string of digits, e.g. "2500000".', { extensions: { code: 'INPUT.INVALID' } });
  },
});

function parsePence(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new GraphQLError('Pence must be a whole, non-negative amount of at most 16 digits, e.g. "2500000".', {
      extensions: { code: 'INPUT.INVALID' },
    });
  }
  return Number(text);
}
