import { type ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import type { GraphQLResolveInfo } from 'graphql';
import { ApiError } from '../errors/api-error';
import type { RequestContext } from './access.guard';

/**
 * Rate limiting per client: per signed-in subject, else per address. Counted once per root
 * field of an operation (never per nested field) and per REST request.
 */
@Injectable()
export class GraphqlThrottlerGuard extends ThrottlerGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() === 'graphql') {
      const info = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>();
      const root = info.parentType.name;
      // Nested fields ride on their operation; subscriptions are limited when they connect.
      if (root !== 'Query' && root !== 'Mutation') return true;
    }
    try {
      return await super.canActivate(context);
    } catch (err) {
      if (err instanceof ThrottlerException) throw new ApiError('RATE_LIMITED', 'Too many requests: wait a moment and try again.');
      throw err;
    }
  }

  override getRequestResponse(context: ExecutionContext) {
    if (context.getType<string>() !== 'graphql') return super.getRequestResponse(context);
    const ctx = GqlExecutionContext.create(context).getContext<RequestContext & { req: any; res: any }>();
    return { req: ctx.req, res: ctx.res };
  }

  /** One budget per client across every operation (the default keys by handler). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    return (req.civicClientKey as string | undefined) ?? req.ip ?? 'unknown';
  }
}
