import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  type ExecutionArgs,
  getNullableType,
  getOperationAST,
  GraphQLError,
  type GraphQLSchema,
  isListType,
  parse,
  specifiedRules,
  validate,
  visit,
} from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { COST_ARGUMENTS, listSize } from './operation-cost';

/** Limits checked before any resolver runs, on every transport. */
export const QUERY_LIMITS = { maxDepth: 10, maxCost: 20_000, maxAliases: 15, maxDirectives: 10, maxTokens: 2000 } as const;

/** The code of a query or mutation sent over the WebSocket, which carries subscriptions only. */
export const SUBSCRIPTIONS_ONLY = 'TRANSPORT.SUBSCRIPTIONS_ONLY';
/** The code of a subscription sent over HTTP, which carries queries and mutations only. */
export const NO_SUBSCRIPTIONS = 'TRANSPORT.NO_SUBSCRIPTIONS';

const PARSE_OPTIONS = { maxTokens: QUERY_LIMITS.maxTokens } as const;

/** Depth, aliases and directives (GraphQL Armor), beside GraphQL's own rules. */
const LIMIT_RULES = new ApolloArmor({
  maxDepth: { n: QUERY_LIMITS.maxDepth },
  maxAliases: { n: QUERY_LIMITS.maxAliases },
  maxDirectives: { n: QUERY_LIMITS.maxDirectives },
  // Tokens are counted by GraphQL's own parser (PARSE_OPTIONS), the cost below with the
  // operation's variables, suggestions hidden by the server: the same way on both transports.
  maxTokens: { enabled: false },
  costLimit: { enabled: false },
  blockFieldSuggestion: { enabled: false },
}).protect().validationRules;

/**
 * What an operation costs: one per field and per item, times the number of items of each list
 * it sits in (`listSize`: a page's `first`, else the list's expected size). Variables count: a
 * page size given as `$first` costs what it asks for.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName?: string, variables?: Record<string, unknown>) {
  return getComplexity({
    schema,
    query: document,
    operationName,
    variables: variables ?? {},
    estimators: [
      ({ type, field, args, childComplexity }) =>
        listSize(type.name, field.name, args, isListType(getNullableType(field.type))) * (1 + childComplexity),
    ],
  });
}

/**
 * The names of the variables an operation's cost can depend on: those given to a page's size
 * (`COST_ARGUMENTS`) or to a directive (`@include(if: $x)` leaves a field out). Every other
 * variable (an id, a ballot's content, a command id) leaves the cost as it is.
 */
function costVariablesOf(document: DocumentNode): readonly string[] {
  const names = new Set<string>();
  let inside = 0;
  visit(document, {
    Argument: {
      enter: (node) => void (COST_ARGUMENTS.has(node.name.value) && inside++),
      leave: (node) => void (COST_ARGUMENTS.has(node.name.value) && inside--),
    },
    Directive: { enter: () => void inside++, leave: () => void inside-- },
    Variable: (node) => void (inside > 0 && names.add(node.name.value)),
  });
  return [...names].sort();
}

/**
 * Operations found within the cost limit, by document (Apollo keeps one parsed document per
 * query text, so a page's or a client's own operations are costed once, not on every request)
 * and by the values of the variables the cost depends on. Walking a document to cost it is a
 * good part of what a small operation costs the server. Only verdicts within the limit are
 * kept, at most `KEPT_PER_DOCUMENT` a document: an operation over it is costed every time.
 */
const withinLimit = new WeakMap<DocumentNode, { variables: readonly string[]; keys: Set<string> }>();
const KEPT_PER_DOCUMENT = 64;

/** The refusal of an operation over the cost limit; none within it. */
export function costError(schema: GraphQLSchema, document: DocumentNode, operationName?: string, variables?: Record<string, unknown>) {
  let known = withinLimit.get(document);
  if (!known) withinLimit.set(document, (known = { variables: costVariablesOf(document), keys: new Set() }));
  // A variable left out (its default applies) is not one sent as null.
  const key = JSON.stringify([
    operationName ?? null,
    ...known.variables.map((name) => (variables && name in variables ? [variables[name]] : [])),
  ]);
  if (known.keys.has(key)) return undefined;
  let cost: number;
  try {
    cost = operationCost(schema, document, operationName, variables);
  } catch {
    return undefined; // variables that do not fit the operation: execution refuses them before any resolver
  }
  if (cost <= QUERY_LIMITS.maxCost) {
    if (known.keys.size < KEPT_PER_DOCUMENT) known.keys.add(key);
    return undefined;
  }
  return new GraphQLError(
    `Query cost limit of ${QUERY_LIMITS.maxCost} exceeded, found ${Math.ceil(cost)}: ask for fewer items or fields.`,
    {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
    },
  );
}

const withCode = (code: string) => (e: GraphQLError) =>
  new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { ...e.extensions, code } });

/**
 * The one place that decides whether an operation may run, whatever carries it: tokens, the
 * standard rules with depth, aliases and directives, then the cost with its variables. Apollo
 * takes `apollo` (HTTP), which refuses subscriptions; graphql-ws takes `onSubscribe`
 * (WebSocket), which refuses queries and mutations: those go over HTTP, where the request's id,
 * log line, metrics, body limit and graceful drain apply. The rate limit is the throttler guard's, one budget per
 * client for both transports.
 */
export class OperationLimits {
  private schema?: GraphQLSchema;

  /** Spread into Apollo's configuration. */
  readonly apollo = {
    parseOptions: PARSE_OPTIONS,
    validationRules: LIMIT_RULES,
    hideSchemaDetailsFromClientErrors: true,
    allowBatchedHttpRequests: false,
    plugins: [this.plugin()],
  };

  /** graphql-ws's hook: the execution arguments of an operation that may run, else its refusal. */
  readonly onSubscribe = (
    _ctx: unknown,
    _id: string,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ): ExecutionArgs | readonly GraphQLError[] => {
    const schema = this.schema;
    if (!schema) return [new GraphQLError('The server is starting: try again.', { extensions: { code: 'UNAVAILABLE' } })];
    let document: DocumentNode;
    try {
      document = parse(payload.query, PARSE_OPTIONS);
    } catch (err) {
      return [withCode('GRAPHQL_PARSE_FAILED')(err instanceof GraphQLError ? err : new GraphQLError(String(err)))];
    }
    const errors = validate(schema, document, [...specifiedRules, ...LIMIT_RULES], { hideSuggestions: true });
    if (errors.length > 0) return errors.map(withCode('GRAPHQL_VALIDATION_FAILED'));
    const operationName = payload.operationName ?? undefined;
    const variables = payload.variables ?? undefined;
    const tooCostly = costError(schema, document, operationName, variables);
    if (tooCostly) return [tooCostly];
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      const message = operationName ? `No operation named "${operationName}".` : 'Name the operation to run: the document has several.';
      return [new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
    }
    if (operation.operation !== 'subscription') {
      return [
        new GraphQLError('This WebSocket carries subscriptions only: send queries and mutations over HTTP (POST /graphql).', {
          extensions: { code: SUBSCRIPTIONS_ONLY },
        }),
      ];
    }
    return { schema, document, operationName, variableValues: variables };
  };

  private plugin(): ApolloServerPlugin {
    const limits = this;
    return {
      async serverWillStart({ schema }) {
        limits.schema = schema;
      },
      async requestDidStart() {
        return {
          async didResolveOperation({ schema, document, operationName, operation, request }) {
            const tooCostly = costError(schema, document, operationName ?? undefined, request.variables);
            if (tooCostly) throw tooCostly;
            if (operation?.operation === 'subscription') {
              throw new GraphQLError('Subscriptions go over the WebSocket on /graphql (protocol graphql-transport-ws), not over HTTP.', {
                extensions: { code: NO_SUBSCRIPTIONS, http: { status: 400 } },
              });
            }
          },
        };
      },
    };
  }
}
