import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import { type ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import type { GraphQLResolveInfo } from 'graphql';
import { ApiError } from '../errors/api-error';
import type { RequestContext } from './access.guard';

/** Where the rate-limit headers go when no HTTP reply carries the operation (a WebSocket). */
const NO_REPLY = { header: () => undefined };

/**
 * Rate limiting per client: per signed-in subject, else per address, one budget whatever
 * carries the operation (HTTP or WebSocket); REST requests per address. Counted once per root
 * field of an operation (never per nested field): a query's, a mutation's and a
 * subscription's when it starts.
 */
@Injectable()
export class GraphqlThrottlerGuard extends ThrottlerGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() === 'graphql') {
      const info = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>();
      // Nested fields ride on their operation.
      if (info.parentType !== info.schema.getRootType(info.operation.operation)) return true;
    }
    try {
      return await super.canActivate(context);
    } catch (err) {
      if (err instanceof ThrottlerException) throw new ApiError('RATE_LIMITED', 'Too many requests: wait a moment and try again.');
      throw err;
    }
  }

  /**
   * The client's key as the GraphQL context names it, whichever transport; a REST request's
   * (probes, scrapers) is its bare address, a budget apart from the GraphQL clients'.
   */
  override getRequestResponse(context: ExecutionContext) {
    if (context.getType<string>() !== 'graphql') {
      const { req, res } = super.getRequestResponse(context);
      return { req: { headers: req.headers, clientKey: req.ip ?? 'unknown' }, res };
    }
    const ctx = GqlExecutionContext.create(context).getContext<RequestContext & { req?: any; res?: any }>();
    return { req: { headers: ctx.req?.headers ?? {}, clientKey: ctx.clientKey }, res: ctx.res ?? NO_REPLY };
  }

  /** One budget per client across every operation (the default keys by handler). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    return req.clientKey as string;
  }
}

/** Proxies whose X-Forwarded-For is believed: one on this host. Fastify is given the same. */
export const TRUSTED_PROXIES = 'loopback';
const trusted = proxyAddr.compile(TRUSTED_PROXIES);

/** The client's address of a WebSocket's upgrade request, read as Fastify reads a request's. */
export function upgradeAddress(request: IncomingMessage | undefined): string | undefined {
  return request ? proxyAddr(request, trusted) : undefined;
}

/** The rate-limit key of a caller: its subject when signed in, else its address. */
export function clientKeyOf(address: string | undefined, subject?: string): string {
  return subject !== undefined ? `subject:${subject}` : `address:${address ?? 'unknown'}`;
}
