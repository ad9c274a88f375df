import {
  MaxAppendSizeExceededError,
  NotLeaderError,
  UnavailableError,
  WrongExpectedVersionError as ClientWrongExpectedVersion,
} from '@eventstore/db-client';
import { InvalidInputError, StoreUnavailableError, WrongExpectedVersionError } from '@civic/event-store';
import { isTransientError, toStoreError } from './errors';

const grpc = (message: string, metadata: Record<string, string> = {}) =>
  ({ message, code: 14, details: message, metadata: { getMap: () => metadata } }) as never;

describe(toStoreError.name, () => {
  it('maps the wrong-expected-version error to ours, naming stream, expected and actual', () => {
    const client = new ClientWrongExpectedVersion(undefined, { streamName: 'fund-a', expected: 5n, current: 0n });
    const err = toStoreError('append', client, 5);
    expect(err).toBeInstanceOf(WrongExpectedVersionError);
    expect(err).toMatchObject({ code: 'EVENT_STORE.WRONG_EXPECTED_VERSION', streamName: 'fund-a', expected: 5, actual: 0 });
    const missing = new ClientWrongExpectedVersion(undefined, { streamName: 'fund-b', expected: 'stream_exists', current: 'no_stream' });
    expect(toStoreError('append', missing)).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
  });

  it('names the stream without the namespace', () => {
    const client = new ClientWrongExpectedVersion(undefined, { streamName: 't9_fund-a', expected: 1n, current: 2n });
    expect(toStoreError('append', client, 1, 't9_')).toMatchObject({ streamName: 'fund-a', actual: 2 });
  });

  it('prefers the revision the caller expected over what the server echoes', () => {
    const client = new ClientWrongExpectedVersion(undefined, { streamName: 'fund-a', expected: 'any', current: 3n });
    expect(toStoreError('append', client, 'no_stream')).toMatchObject({ expected: 'no_stream', actual: 3 });
  });

  it('maps an oversized append to invalid input, and the rest to unavailable', () => {
    expect(toStoreError('append', new MaxAppendSizeExceededError(undefined as never, 1024))).toBeInstanceOf(InvalidInputError);
    const down = toStoreError('readAll', new UnavailableError(grpc('connect ECONNREFUSED')));
    expect(down).toBeInstanceOf(StoreUnavailableError);
    expect(down.message).toMatch(/readAll.*unavailable.*ECONNREFUSED/);
    expect(toStoreError('append', new Error('boom'))).toBeInstanceOf(StoreUnavailableError);
  });

  it('passes the port’s own errors through', () => {
    const own = new InvalidInputError('after', 'bad');
    expect(toStoreError('readAll', own)).toBe(own);
  });
});

describe(isTransientError.name, () => {
  it('resubscribes after the server or the leader went away, not after other failures', () => {
    expect(isTransientError(new UnavailableError(grpc('down')))).toBe(true);
    expect(isTransientError(new NotLeaderError(grpc('moved', { 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' })))).toBe(
      true,
    );
    expect(isTransientError(new StoreUnavailableError('ended'))).toBe(true);
    expect(isTransientError(new ClientWrongExpectedVersion(undefined, { streamName: 'a-1', expected: 1n, current: 2n }))).toBe(false);
    expect(isTransientError(new Error('bug'))).toBe(false);
  });
});
