import { DomainError, fundDecider, type CreateFund } from '@civic/domain';
import { InMemoryEventStore, WrongExpectedVersionError, type EventStore } from '@civic/event-store';
import { FixedClock } from '../ports/clock.port';
import { stamp } from './command-input';
import { handleCommand } from './handle-command';

const schedule = {
  proposalsOpenAt: '2026-02-01T09:00:00.000Z',
  reviewStartsAt: '2026-03-01T09:00:00.000Z',
  votingOpensAt: '2026-04-01T09:00:00.000Z',
  votingClosesAt: '2026-04-15T21:00:00.000Z',
};
const clock = new FixedClock('2026-01-05T09:00:00.000Z');
const create = (commandId = 'cmd-create', fundId = 'fund-1') =>
  stamp<CreateFund>(
    'CreateFund',
    { fundId, name: 'Fund', description: 'A fund', currency: 'GBP', schedule, minimumAge: 16 },
    { commandId, actor: { role: 'administrator', id: 'admin' } },
    clock,
  );
const request = (command = create()) => ({
  streamName: `fund-${command.payload.fundId}`,
  decider: fundDecider,
  command,
  context: () => ({}),
});

/** A store whose appends conflict a given number of times, as if other writers kept winning. */
const conflicting = (times: number): EventStore & { attempts: number } => {
  const inner = new InMemoryEventStore();
  let left = times;
  return Object.assign(Object.create(inner) as EventStore, {
    attempts: 0,
    async append(this: { attempts: number }, ...args: Parameters<EventStore['append']>) {
      this.attempts++;
      if (left-- > 0) throw new WrongExpectedVersionError(args[0], 'no_stream', 0);
      return inner.append(...args);
    },
  });
};

describe(handleCommand.name, () => {
  it('stamps the time from the clock and records the command in the metadata', async () => {
    const store = new InMemoryEventStore();
    const result = await handleCommand(store, request());
    const [stored] = await store.readStream('fund-fund-1');
    expect(result).toMatchObject({ alreadyHandled: false, revision: 0 });
    expect(stored.metadata).toMatchObject({
      commandId: 'cmd-create',
      actorRole: 'administrator',
      time: '2026-01-05T09:00:00.000Z',
      schemaVersion: 1,
    });
  });

  it('has the effect of a retried command id once', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, request());
    const again = await handleCommand(store, request());
    expect(again).toMatchObject({ alreadyHandled: true, events: [] });
    expect(await store.readStream('fund-fund-1')).toHaveLength(1);
  });

  it('writes nothing on a rejection', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, request());
    await expect(handleCommand(store, request(create('cmd-again')))).rejects.toMatchObject({ code: 'FUND.ALREADY_EXISTS' });
    expect(await store.readAll()).toHaveLength(1);
  });

  it('decides again after a conflict and succeeds', async () => {
    const store = conflicting(2);
    await handleCommand(store, request(), { maxAttempts: 3 });
    expect(store.attempts).toBe(3);
  });

  it('gives up after a bounded number of attempts with COMMAND.CONFLICT', async () => {
    const store = conflicting(10);
    const failure = handleCommand(store, request(), { maxAttempts: 4 });
    await expect(failure).rejects.toBeInstanceOf(DomainError);
    await expect(failure).rejects.toMatchObject({ code: 'COMMAND.CONFLICT' });
    expect(store.attempts).toBe(4);
  });

  it('lets the store dedupe a replayed append: the event ids derive from the command id', async () => {
    const store = new InMemoryEventStore();
    const command = create();
    const events = fundDecider.decide(command, fundDecider.initialState(), undefined);
    const { toEventData } = await import('./stored-events');
    await store.append('fund-fund-1', events.map(toEventData), { expectedRevision: 'no_stream' });
    await store.append('fund-fund-1', events.map(toEventData), { expectedRevision: 'no_stream' });
    expect(await store.readStream('fund-fund-1')).toHaveLength(1);
  });
});
