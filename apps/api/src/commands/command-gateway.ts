import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandRuntime, voterPseudonymFor, type CommandInput, type CommandResult } from '@civic/application';
import type { Position, RecordedEvent } from '@civic/event-store';
import { ProjectionRunner } from '@civic/projections';
import type { Principal } from '../auth/principal';
import { ApiError } from '../errors/api-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Carries a mutation to its command handler and answers only once the read models have folded
 * its events, so the response (and the caller's next query) shows the mutation's own effect.
 */
@Injectable()
export class CommandGateway {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: ProjectionRunner,
    private readonly runtime: CommandRuntime,
  ) {}

  /**
   * The command input of a caller: a command id (the client's, for a safe retry, or a new one)
   * and the actor. A resident acts under the register's pseudonym of their reference, so no
   * event ever holds a resident's reference; staff act under their staff id. The revision the
   * client read, when it edits what it read, goes to the handler, which appends at exactly it:
   * checking it here first and appending later would let an edit in between be overwritten.
   */
  async input(principal: Principal, commandId?: string | null, expectedRevision?: number | null): Promise<CommandInput> {
    if (commandId != null && !UUID.test(commandId)) throw new ApiError('INPUT.INVALID', 'commandId must be a UUID.');
    const id = principal.role === 'resident' ? await this.residentId(principal) : principal.subject;
    return {
      commandId: (commandId ?? randomUUID()).toLowerCase(),
      actor: { role: principal.role, id },
      ...(expectedRevision != null ? { expectedRevision } : {}),
    };
  }

  /** A resident's voter pseudonym in a fund (the last part of their ballot streams' names); refused once they were erased. */
  async voterPseudonym(fundId: string, principal: Principal): Promise<string> {
    return (await voterPseudonymFor(this.runtime, fundId, principal.subject)).voter;
  }

  /** A resident's pseudonymous id in the register (the id of their `resident-…` stream). */
  residentId(principal: Principal): Promise<string> {
    return this.runtime.pseudonymiser.pseudonymFor({ kind: 'register' }, principal.subject);
  }

  async execute<R>(command: object): Promise<R> {
    return (await this.executeRecorded<R>(command)).result;
  }

  /**
   * `execute`, with the events its result names as the read models folded them (those folded
   * while it waited, which is the rule: a command's caller answers with what the store recorded,
   * its audit chain link, without reading the event again).
   */
  async executeRecorded<R>(command: object): Promise<{ result: R; recorded: ReadonlyMap<Position, RecordedEvent> }> {
    const result = await this.commands.execute<object, R>(command).catch(async (error: unknown) => {
      // A refusal kept on record (a paper sheet refused again, say) answers once that record is folded too.
      const { position } = error as { position?: unknown };
      if (typeof position === 'string') await this.runner.waitFor(position);
      throw error;
    });
    const recorded = new Map<Position, RecordedEvent>();
    for (const position of positionsOf(result)) {
      const event = await this.runner.waitFor(position);
      if (event) recorded.set(position, event);
    }
    return { result, recorded };
  }
}

/** The positions a command's result names: one result, or a list of them (a merge, a batch). */
function positionsOf(result: unknown): string[] {
  const results = Array.isArray(result) ? result : [result];
  return results.map((r) => (r as Partial<CommandResult> | undefined)?.position).filter((p): p is string => typeof p === 'string');
}
