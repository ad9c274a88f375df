import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandInput, CommandResult } from '@civic/application';
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
  ) {}

  /** The command input of a caller: a command id (the client's, for a safe retry, or a new one) and the actor. */
  input(principal: Principal, commandId?: string | null): CommandInput {
    if (commandId != null && !UUID.test(commandId)) throw new ApiError('INPUT.INVALID', 'commandId must be a UUID.');
    return { commandId: (commandId ?? randomUUID()).toLowerCase(), actor: { role: principal.role, id: principal.subject } };
  }

  async execute(command: object): Promise<CommandResult> {
    const result = await this.commands.execute<object, CommandResult>(command);
    if (result.position) await this.runner.waitFor(result.position);
    return result;
  }
}
