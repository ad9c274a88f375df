import { Readable } from 'node:stream';
import { START, type EventStoreDBClient } from '@eventstore/db-client';
import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { planFilter } from '../mapping/filter';
import { filteredReadAll } from './filtered-read-all';

/** A client whose gRPC call records the request and answers with no events. */
function fakeClient(requests: ReadReq[]): EventStoreDBClient {
  return {
    GRPCStreamCreator: (_client: unknown, _name: string, creator: (c: unknown) => unknown) => async () =>
      creator({ read: (req: ReadReq) => (requests.push(req), Readable.from([])) }),
    callArguments: () => [{}, {}],
  } as unknown as EventStoreDBClient;
}

describe(filteredReadAll.name, () => {
  it('asks the server for $all with the filter set, counting matching events', async () => {
    const requests: ReadReq[] = [];
    const read = filteredReadAll(fakeClient(requests), {
      fromPosition: { commit: 300n, prepare: 200n },
      maxCount: 50,
      filter: planFilter({ eventTypes: ['BallotCast'] }).server,
    });
    for await (const _ of read) throw new Error('no events expected');
    const options = requests[0].getOptions()!;
    expect(options.getAll()!.getPosition()!.getCommitPosition()).toBe('300');
    expect(options.getAll()!.getPosition()!.getPreparePosition()).toBe('200');
    expect(options.getCount()).toBe('50');
    expect(options.getReadDirection()).toBe(0);
    expect(options.hasNoFilter()).toBe(false);
    expect(options.getFilter()!.getEventType()!.getRegex()).toBe('^(?:BallotCast)$');
    expect(options.getFilter()!.hasCount()).toBe(true);
  });

  it('reads backwards from the end, excluding system events, for the head position', async () => {
    const requests: ReadReq[] = [];
    for await (const _ of filteredReadAll(fakeClient(requests), {
      fromPosition: START,
      maxCount: 1,
      filter: planFilter(undefined).server,
      backwards: true,
    })) {
      throw new Error('no events expected');
    }
    const options = requests[0].getOptions()!;
    expect(options.getAll()!.hasEnd()).toBe(true);
    expect(options.getReadDirection()).toBe(1);
    expect(options.getFilter()!.getEventType()!.getRegex()).toBe('^[^$].*');
  });
});
