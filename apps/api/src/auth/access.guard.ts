import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ApiError } from '../errors/api-error';
import type { Principal } from './principal';
import { ACCESS_KEY, type Access } from './roles.decorator';

/** The GraphQL context of one request. */
export interface RequestContext {
  readonly principal?: Principal;
  readonly clientKey: string;
}

/**
 * Deny by default, on every operation and every resolved field: an operation or field runs
 * only if it (or its class) declares `@Public()` or `@Roles(...)` and the caller qualifies.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true; // REST routes (/health, /metrics) are public by design
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (!access) throw new ApiError('AUTH.FORBIDDEN', 'This operation is not open to anyone.');
    if ('public' in access) return true;
    const { principal } = GqlExecutionContext.create(context).getContext<RequestContext>();
    if (!principal) throw new ApiError('AUTH.UNAUTHENTICATED', 'Sign in to do this.');
    if (!access.roles.includes(principal.role)) throw new ApiError('AUTH.FORBIDDEN', `The ${principal.role} role may not do this.`);
    return true;
  }
}
