import type { Role } from './actor';
import type { Command } from './command';
import type { Instant } from './time';

/** What every event records about the command that caused it. */
export interface EventMetadata {
  readonly commandId: string;
  readonly actorRole: Role;
  /** Pseudonymous: never a resident's reference or name. */
  readonly actorId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly time: Instant;
  readonly schemaVersion: number;
}

/** A domain event: a stable past-tense type, JSON data, and its metadata. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** Builds an event caused by a command. Schema version 1 until an event's shape changes. */
export const eventFrom = <Type extends string, Data>(
  command: Command,
  type: Type,
  data: Data,
  schemaVersion = 1,
): DomainEvent<Type, Data> => ({
  type,
  data,
  metadata: {
    commandId: command.metadata.commandId,
    actorRole: command.metadata.actor.role,
    actorId: command.metadata.actor.id,
    correlationId: command.metadata.correlationId,
    causationId: command.metadata.causationId,
    time: command.metadata.time,
    schemaVersion,
  },
});
