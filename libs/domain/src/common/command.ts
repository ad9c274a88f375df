import type { Actor } from './actor';
import type { Instant } from './time';

/** What every command carries besides its payload. */
export interface CommandMetadata {
  /** Unique per intent: a retry reuses it, and has its effect once. */
  readonly commandId: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  /** From the injected clock, never read inside the domain. */
  readonly time: Instant;
}

/** A command: an imperative type, a payload, and its metadata. */
export interface Command<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  readonly payload: Payload;
  readonly metadata: CommandMetadata;
}
