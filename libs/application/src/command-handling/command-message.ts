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

/**
 * A payload whose field `K` the client may leave out: the handler then names the new record
 * itself, from the command id (`newRecordId`), never a random id a retry would not find again.
 */
export type ChosenByServer<P, K extends keyof P> = Omit<P, K> & { readonly [F in K]?: P[F] };
