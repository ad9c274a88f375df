import type { ApiRefusal, Operation, Result } from './operation';

/** Who a page's operation runs as: the visitor's own address and, once signed in, their API token. */
export interface Caller {
  readonly ip: string;
  readonly apiToken?: string;
}

/**
 * Runs one GraphQL request in process through the API's own pipeline, as `caller`: the API
 * supplies it (the web app knows nothing of its internals). The answer is what `/graphql` would
 * send over HTTP: its status and its JSON body.
 */
export type GraphqlRunner = (
  request: { readonly query: string; readonly variables: unknown },
  caller: Caller,
) => Promise<{ readonly status: number; readonly body: string }>;

/**
 * Runs an operation as the visitor (their address and token), so the API's guard, rate limits,
 * query limits and error codes apply to pages exactly as to any other client.
 */
export async function execute<TData, TVariables>(
  run: GraphqlRunner,
  op: Operation<TData, TVariables>,
  variables: TVariables,
  caller: Caller,
): Promise<Result<TData>> {
  const response = await run({ query: op.document, variables }, caller);
  let body: { data?: TData; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  try {
    body = JSON.parse(response.body);
  } catch {
    return {
      ok: false,
      errors: [{ code: response.status === 429 ? 'RATE_LIMITED' : 'INTERNAL_SERVER_ERROR', message: response.body }],
    };
  }
  if (body.errors?.length) {
    return {
      ok: false,
      errors: body.errors.map((e): ApiRefusal => ({
        message: e.message,
        code: typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR',
        field: typeof e.extensions?.field === 'string' ? e.extensions.field : undefined,
        params: e.extensions?.params as ApiRefusal['params'],
      })),
    };
  }
  return { ok: true, data: body.data as TData };
}
