import type { FastifyInstance } from 'fastify';
import type { ApiRefusal, Operation, Result } from './operation';

/** Who a page's operation runs as: the visitor's own address and, once signed in, their API token. */
export interface Caller {
  readonly ip: string;
  readonly apiToken?: string;
}

/**
 * Runs an operation through the API's own `/graphql` route in process (Fastify's inject: no
 * socket), as the visitor: their address and token, so the API's guard, rate limits, query
 * limits and error codes apply to pages exactly as to any other client.
 */
export async function execute<TData, TVariables>(
  fastify: FastifyInstance,
  op: Operation<TData, TVariables>,
  variables: TVariables,
  caller: Caller,
): Promise<Result<TData>> {
  const response = await fastify.inject({
    method: 'POST',
    url: '/graphql',
    remoteAddress: caller.ip,
    headers: { 'content-type': 'application/json', ...(caller.apiToken ? { authorization: `Bearer ${caller.apiToken}` } : {}) },
    payload: JSON.stringify({ query: op.document, variables }),
  });
  let body: { data?: TData; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  try {
    body = JSON.parse(response.body);
  } catch {
    return {
      ok: false,
      errors: [{ code: response.statusCode === 429 ? 'RATE_LIMITED' : 'INTERNAL_SERVER_ERROR', message: response.body }],
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
