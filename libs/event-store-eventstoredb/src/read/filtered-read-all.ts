import type { ClientReadableStream } from '@grpc/grpc-js';
import { START, type AllStreamResolvedEvent, type EventStoreDBClient, type Filter, type Position } from '@eventstore/db-client';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { ReadStream } from '@eventstore/db-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils';

/** The client's protected members this read needs (present in 6.x). */
interface ClientInternals {
  GRPCStreamCreator(
    client: typeof StreamsClient,
    debugName: string,
    creator: (c: StreamsClient) => ClientReadableStream<ReadResp>,
  ): () => Promise<ClientReadableStream<ReadResp>>;
  callArguments(options: object, callOptions: object): [unknown, unknown];
}

export interface FilteredReadAllOptions {
  readonly fromPosition: Position | typeof START;
  readonly maxCount: number;
  readonly filter: Filter;
  readonly backwards?: boolean;
}

/**
 * Reads $all with a server-side filter. Client 6.2.1's `readAll` always sends "no filter",
 * though the server's Read call takes one (as subscriptions use): this builds the same request
 * as `Client.prototype.readAll` with the filter set, counting matching events (what later
 * clients' `readAll({ filter })` does). Reads start *at* `fromPosition`, inclusive.
 */
export function filteredReadAll(client: EventStoreDBClient, options: FilteredReadAllOptions): AsyncIterable<AllStreamResolvedEvent> {
  const all = new ReadReq.Options.AllOptions();
  if (options.fromPosition === START) {
    if (options.backwards) all.setEnd(new Empty());
    else all.setStart(new Empty());
  } else {
    const pos = new ReadReq.Options.Position();
    pos.setCommitPosition(options.fromPosition.commit.toString(10));
    pos.setPreparePosition(options.fromPosition.prepare.toString(10));
    all.setPosition(pos);
  }
  const expr = new ReadReq.Options.FilterOptions.Expression();
  if ('regex' in options.filter) expr.setRegex(options.filter.regex);
  else expr.setPrefixList(options.filter.prefixes);
  const filter = new ReadReq.Options.FilterOptions();
  if (options.filter.filterOn === 'eventType') filter.setEventType(expr);
  else filter.setStreamIdentifier(expr);
  filter.setCount(new Empty());
  filter.setCheckpointintervalmultiplier(options.filter.checkpointInterval);
  const uuid = new ReadReq.Options.UUIDOption();
  uuid.setString(new Empty());
  const opts = new ReadReq.Options();
  opts.setAll(all);
  opts.setResolveLinks(false);
  opts.setCount(String(options.maxCount));
  opts.setUuidOption(uuid);
  opts.setFilter(filter);
  opts.setReadDirection(options.backwards ? 1 : 0);
  const req = new ReadReq();
  req.setOptions(opts);
  const internals = client as unknown as ClientInternals;
  const create = internals.GRPCStreamCreator(StreamsClient, 'readAll', (c) =>
    c.read(req, ...(internals.callArguments({}, { deadline: Infinity }) as [never, never])),
  );
  return new ReadStream<AllStreamResolvedEvent>(create, convertGrpcEvent as never, {});
}
