import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';

/** Paths polled by probes and scrapers: not logged. */
const QUIET_PATHS = new Set(['/health', '/metrics']);

/** The API's one logger: JSON lines on stdout at the configured level. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'civic-ledger-api' } }, destination);
}

/**
 * Nest's own messages (bootstrap, route mapping, errors) through pino. Nest passes the
 * context (the class that logs) last; errors carry a stack before it.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = level === 'error' && typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
    if (message instanceof Error) this.logger[level]({ context, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
  }
}

/**
 * One line per request when it is answered: request id, method, path, status, time. The id is
 * the caller's `x-request-id` when it looks like one, else made here; it is echoed back. Headers
 * are never logged, so tokens and cookies cannot leak into the logs. Below the info level the
 * hook is not installed: logging then costs a request nothing.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  if (!logger.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    const path = request.url.split('?', 1)[0];
    if (!QUIET_PATHS.has(path)) {
      const fields = {
        reqId: request.id,
        method: request.method,
        path,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      };
      if (reply.statusCode >= 500) logger.error(fields, 'request failed');
      else logger.info(fields, 'request completed');
    }
    done();
  });
}

/**
 * Request ids: the caller's `x-request-id` when it looks like one, else a UUID v7 — unique
 * across API nodes and restarts (a per-process counter repeats on every node), and ordered by
 * time, so a log's ids sort as its requests came.
 */
export function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : uuidv7();
}
