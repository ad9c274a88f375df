import type { CommandInput } from './command-input';

/**
 * What travels on the command bus for a domain command: its type, its payload, and the
 * input of the transport. `@nestjs/cqrs` routes by class, so each aggregate has its own
 * subclass (`RunFundCommand`, `RunBallotCommand`, ...), all of this one shape.
 */
export abstract class CommandMessage<Type extends string, Payload> {
  constructor(
    readonly type: Type,
    readonly payload: Payload,
    readonly input: CommandInput,
  ) {}
}
