import { type ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GraphQLResolveInfo } from 'graphql';
import { severityOf } from '../errors/severity';

/**
 * Logs what a resolver throws at its severity, then lets GraphQL answer with it (mapped by
 * `formatError`). Nest's own handler logs every error at error level with its stack: a
 * too-long title or a closed pot would then read as a failure of the server. REST routes keep
 * Nest's handling.
 */
@Catch()
export class ErrorLogFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('GraphQL');

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'graphql') return super.catch(exception, host);
    const info = host.getArgByIndex<GraphQLResolveInfo | undefined>(3);
    const reqId = host.getArgByIndex<{ req?: { id?: string } } | undefined>(2)?.req?.id;
    const field = info ? `${info.parentType.name}.${info.fieldName}` : undefined;
    const { severity, code } = severityOf(exception);
    const message = exception instanceof Error ? exception.message : String(exception);
    if (severity === 'error') this.logger.error({ err: exception, code, field, reqId, msg: message });
    else if (severity === 'warn') this.logger.warn({ code, field, reqId, msg: message });
    else this.logger.log({ code, field, reqId, msg: message });
    throw exception;
  }
}
