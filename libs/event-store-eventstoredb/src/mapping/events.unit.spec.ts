import type { ResolvedEvent } from '@eventstore/db-client';
import { prepareAppend, StoreUnavailableError } from '@civic/event-store';
import { fromResolvedEvent, toClientEvent } from './events';

const ID = '6F1C1B52-2D8A-4C4E-9A43-0C1D2E3F4A5B';

function recorded(overrides: Record<string, unknown> = {}): ResolvedEvent {
  return {
    event: {
      streamId: 'ballot-pot1-abc',
      id: ID.toLowerCase(),
      revision: 3n,
      type: 'BallotCast',
      data: { picks: ['p1'] },
      metadata: { actor: 'r1' },
      isJson: true,
      created: new Date('2026-05-01T10:00:00.123Z'),
      position: { commit: 500n, prepare: 480n },
      ...overrides,
    },
  } as unknown as ResolvedEvent;
}

describe('events between the port and the client', () => {
  it('sends the prepared id, the type, the data and the metadata as JSON', () => {
    const event = { id: ID, type: 'BallotCast', data: { picks: ['p1'], note: 'বাংলা' } };
    const [prepared] = prepareAppend('ballot-1', [event], undefined).events;
    expect(toClientEvent(event, prepared)).toEqual({
      id: ID.toLowerCase(),
      contentType: 'application/json',
      type: 'BallotCast',
      data: { picks: ['p1'], note: 'বাংলা' },
      metadata: {},
    });
  });

  it('reads a recorded event back with a string position, a number revision and an ISO time', () => {
    expect(fromResolvedEvent(recorded())).toEqual({
      id: ID.toLowerCase(),
      type: 'BallotCast',
      data: { picks: ['p1'] },
      metadata: { actor: 'r1' },
      streamName: 'ballot-pot1-abc',
      revision: 3,
      position: '00000000000000000500:00000000000000000480',
      recordedAt: '2026-05-01T10:00:00.123Z',
    });
    expect(fromResolvedEvent(recorded({ metadata: undefined }))?.metadata).toEqual({});
  });

  it('strips the namespace from stream names, and skips streams outside it', () => {
    expect(fromResolvedEvent(recorded({ streamId: 't9_ballot-1' }), 't9_')?.streamName).toBe('ballot-1');
    expect(fromResolvedEvent(recorded({ streamId: 'ballot-1' }), 't9_')).toBeUndefined();
  });

  it('skips a link without its event, and refuses what this port never writes', () => {
    expect(fromResolvedEvent({} as ResolvedEvent)).toBeUndefined();
    expect(() => fromResolvedEvent(recorded({ isJson: false, data: new Uint8Array([1]) }))).toThrow(StoreUnavailableError);
    expect(() => fromResolvedEvent(recorded({ position: undefined }))).toThrow(/position/);
  });
});
