import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { projectRoot } from '@civic/platform';
import { QUERY_LIMITS } from '../../apps/api/src/app.module';
import { loadWebOperations } from '../../scripts/codegen/web-operations';

// Every module of the web app is loaded, so every operation it declares is registered.
const registeredOperations = loadWebOperations;

describe('the web pages’ GraphQL operations', () => {
  const schema = buildSchema(readFileSync(join(projectRoot(), 'apps', 'api', 'schema.graphql'), 'utf8'));
  // The same query limits the API applies before any resolver: a page's operation must pass them.
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    maxTokens: { n: QUERY_LIMITS.maxTokens },
  }).protect();

  it('finds the pages’ operations', () => {
    expect(registeredOperations().size).toBeGreaterThan(15);
  });

  it.each([...registeredOperations()])('%s is valid against the committed schema and within the API’s query limits', (_name, op) => {
    expect(validate(schema, parse(op.document), [...specifiedRules, ...armor.validationRules]).map((e) => e.message)).toEqual([]);
  });
});
