import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { projectRoot } from '@civic/platform';
import { ALL_OPERATIONS } from './operations';

describe('the web pages’ GraphQL operations', () => {
  const schema = buildSchema(readFileSync(join(projectRoot(), 'apps', 'api', 'schema.graphql'), 'utf8'));
  it.each(Object.entries(ALL_OPERATIONS))('%s is valid against the committed schema', (_name, op) => {
    expect(validate(schema, parse(op.document)).map((e) => e.message)).toEqual([]);
  });
});
