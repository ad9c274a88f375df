import type { DomainEvent } from '@civic/domain';
import type { EventData, JsonObject, RecordedEvent } from '@civic/event-store';
import { eventIdFor } from '../ports/event-ids';
import { jsonCopy } from './json-copy';

/** A domain event as the store takes it, with its deterministic id. */
export const toEventData = (event: DomainEvent, index: number): EventData => ({
  id: eventIdFor(event.metadata.commandId, index),
  type: event.type,
  // Domain events are plain JSON by construction (money as safe integers, times as strings);
  // the copy drops their undefined properties, as JSON would.
  data: jsonCopy(event.data),
  metadata: { ...event.metadata } as unknown as JsonObject,
});

/** A stored event as the domain folds it. */
export const toDomainEvent = <E extends DomainEvent>(recorded: RecordedEvent): E =>
  ({ type: recorded.type, data: recorded.data, metadata: recorded.metadata }) as unknown as E;
