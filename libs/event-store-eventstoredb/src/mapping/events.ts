import { jsonEvent, type EventData as ClientEventData, type ResolvedEvent } from '@eventstore/db-client';
import { StoreUnavailableError, type EventData, type JsonObject, type PreparedEvent, type RecordedEvent } from '@civic/event-store';
import { encodePosition } from './position';
import { toRevision } from './revision';

/**
 * An event to append, as the client takes it. The values are the caller's, already checked by
 * `prepareAppend` (`prepared`); the id is the prepared, lower-case one.
 */
export function toClientEvent(event: EventData, prepared: PreparedEvent): ClientEventData {
  return jsonEvent({ id: prepared.id, type: prepared.type, data: event.data as never, metadata: event.metadata ?? {} });
}

/**
 * An event read from the server as ours, its stream name without the namespace; `undefined`
 * for a link whose target is gone or a stream outside the namespace. Our
 * events are always JSON with a position: anything else was not written through this port.
 */
export function fromResolvedEvent(resolved: ResolvedEvent, namespace = ''): RecordedEvent | undefined {
  const e = resolved.event;
  if (!e || !e.streamId.startsWith(namespace)) return undefined;
  if (!e.isJson) throw new StoreUnavailableError(`Event ${e.id} in "${e.streamId}" is not JSON: it was not written through this port`);
  if (!e.position) throw new StoreUnavailableError(`The server sent event ${e.id} without a position (EventStoreDB ≥ 20.10 is required)`);
  return {
    id: e.id,
    type: e.type,
    data: e.data as RecordedEvent['data'],
    metadata: (e.metadata ?? {}) as JsonObject,
    streamName: e.streamId.slice(namespace.length),
    revision: toRevision(e.revision),
    position: encodePosition(e.position),
    recordedAt: e.created.toISOString(),
  };
}
