import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import type { INestApplication } from '@nestjs/common';
import type { ApolloDriver } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { GraphqlRunner } from '@civic/web';

/** Where an in-process operation's rate-limit headers go: no HTTP reply carries it. */
const NO_REPLY = { header: () => NO_REPLY };

/**
 * Runs the pages' operations through the API's own GraphQL pipeline in process: the same
 * Apollo server and the same context function as `/graphql` (the caller's address and bearer
 * token, so the guards, rate limits, query limits, error codes and formatting are the API's),
 * without a second HTTP request through Fastify for each operation. The answer is the body and
 * status `/graphql` would send.
 */
export function inProcessGraphql(app: INestApplication): GraphqlRunner {
  let server: ApolloServer<BaseContext> | undefined;
  let context: ((req: unknown, reply: unknown) => Promise<BaseContext>) | undefined;
  return async ({ query, variables }, caller) => {
    if (!server || !context) {
      // Both exist once the application has started, before it takes a request.
      const graphql = app.get<GraphQLModule<ApolloDriver>>(GraphQLModule);
      server = graphql.graphQlAdapter.instance as ApolloServer<BaseContext>;
      context = graphql.completeOptions?.context as typeof context;
      if (!server || !context) throw new Error('The GraphQL server has not started.');
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (caller.apiToken) headers.authorization = `Bearer ${caller.apiToken}`;
    const req = { headers, ip: caller.ip };
    const bound = context;
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: new HeaderMap(Object.entries(headers)), search: '', body: { query, variables } },
      context: () => bound(req, NO_REPLY),
    });
    if (response.body.kind !== 'complete') throw new Error('A page operation answered in parts.');
    return { status: response.status ?? 200, body: response.body.string };
  };
}
