import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

const MESSAGE = 'A DateTime is an RFC 3339 date and time with its offset, e.g. "2027-05-01T09:00:00Z" or "2027-05-01T10:00:00+01:00".';

/**
 * Dates and times, strictly RFC 3339 (graphql-scalars' DateTime): a time zone is required and
 * the calendar is checked, so "2027-02-30T00:00:00Z", a local time, an epoch number or "next
 * Tuesday" are refused rather than read as whatever `new Date()` makes of them. Read as a Date;
 * written as ISO 8601 in UTC.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An RFC 3339 date and time with its offset, e.g. "2027-05-01T09:00:00Z"; answered in UTC.',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) throw new GraphQLError('A DateTime to answer is not a time.');
    return date.toISOString();
  },
  parseValue: (value) => parse(() => DateTimeResolver.parseValue(value) as Date),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(MESSAGE, { extensions: { code: 'INPUT.INVALID' } });
    return parse(() => DateTimeResolver.parseLiteral(ast, undefined) as Date);
  },
});

function parse(read: () => Date): Date {
  let date: Date;
  try {
    date = read();
  } catch {
    throw new GraphQLError(MESSAGE, { extensions: { code: 'INPUT.INVALID' } });
  }
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new GraphQLError(MESSAGE, { extensions: { code: 'INPUT.INVALID' } });
  return date;
}
