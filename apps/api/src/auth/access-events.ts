import { createHash, randomUUID } from 'node:crypto';
import type { AppendOptions, EventStore, JsonObject } from '@civic/event-store';
import type { Principal } from './principal';

/**
 * Appends access events (sign-ins, openings of personal data) with the metadata every event
 * carries: the actor (role and id), one command id for the batch, the time, schema version 1.
 * They are facts about access, not domain decisions, so no decider guards them.
 */
export async function appendAccessEvents(
  store: EventStore,
  stream: string,
  actor: Principal,
  at: number,
  events: readonly (readonly [type: string, data: JsonObject])[],
  options?: AppendOptions,
): Promise<void> {
  const commandId = randomUUID();
  const time = new Date(at).toISOString();
  await store.append(
    stream,
    events.map(([type, data]) => ({
      id: randomUUID(),
      type,
      data,
      metadata: {
        commandId,
        actorRole: actor.role,
        actorId: actor.subject,
        correlationId: commandId,
        causationId: commandId,
        time,
        schemaVersion: 1,
      },
    })),
    options,
  );
}

/** A short, stable name for a value that must not appear itself (a provider subject, a session id). */
export const digestOf = (value: string, length = 32): string => createHash('sha256').update(value).digest('hex').slice(0, length);
