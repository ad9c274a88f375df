import { DomainError, fundDecider, type CreateFund, type RescheduleFund } from '@civic/domain';
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
      schemaVersion: 2,
    });
  });

  it('has the effect of a retried command id once, and answers the retry as the first call', async () => {
    const store = new InMemoryEventStore();
    const first = await handleCommand(store, request());
    const again = await handleCommand(store, request());
    expect(again).toMatchObject({ alreadyHandled: true, events: [], revision: first.revision, position: first.position });
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

/**
 * A store that holds back the append of one command (named by its id) until released: the
 * forced interleaving of an edit that another lands between its load and its append.
 */
const holding = (commandId: string) => {
  const inner = new InMemoryEventStore();
  let release!: () => void;
  let reached!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const atAppend = new Promise<void>((resolve) => (reached = resolve));
  const store = Object.assign(Object.create(inner) as EventStore, {
    async append(...args: Parameters<EventStore['append']>) {
      if (args[1].some((e) => e.metadata?.commandId === commandId)) {
        reached();
        await released;
      }
      return inner.append(...args);
    },
  });
  return { store, atAppend, release };
};

describe('handleCommand with the revision the client read', () => {
  const reschedule = (commandId: string, votingClosesAt: string) =>
    stamp<RescheduleFund>(
      'RescheduleFund',
      { fundId: 'fund-1', schedule: { ...schedule, votingClosesAt } },
      { commandId, actor: { role: 'administrator', id: 'admin' } },
      clock,
    );
  const edit = (command: RescheduleFund) => ({ streamName: 'fund-fund-1', decider: fundDecider, command, context: () => ({}) });
  const closesAt = async (store: EventStore) =>
    ((await store.readStream('fund-fund-1')).pop()?.data as { schedule: { votingClosesAt: string } }).schedule.votingClosesAt;

  it('loses no edit: one landing between the load and the append of another makes that one stale, not overwritten', async () => {
    const { store, atAppend, release } = holding('edit-b');
    await handleCommand(store, request());
    const b = handleCommand(store, { ...edit(reschedule('edit-b', '2026-04-16T21:00:00.000Z')), expectedRevision: 0 });
    await atAppend; // b has loaded revision 0 and decided; a lands now
    await handleCommand(store, { ...edit(reschedule('edit-a', '2026-04-17T21:00:00.000Z')), expectedRevision: 0 });
    release();
    await expect(b).rejects.toMatchObject({ code: 'EDIT.STALE_REVISION' });
    expect(await store.readStream('fund-fund-1')).toHaveLength(2);
    expect(await closesAt(store)).toBe('2026-04-17T21:00:00.000Z');
  });

  it('without a revision, decides again on the newer state (the last edit wins, knowingly)', async () => {
    const { store, atAppend, release } = holding('edit-b');
    await handleCommand(store, request());
    const b = handleCommand(store, edit(reschedule('edit-b', '2026-04-16T21:00:00.000Z')));
    await atAppend;
    await handleCommand(store, edit(reschedule('edit-a', '2026-04-17T21:00:00.000Z')));
    release();
    await expect(b).resolves.toMatchObject({ revision: 2 });
  });

  it('refuses an edit of a revision that is no longer the latest, and writes nothing', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, request());
    await handleCommand(store, edit(reschedule('edit-a', '2026-04-17T21:00:00.000Z')));
    await expect(
      handleCommand(store, { ...edit(reschedule('edit-b', '2026-04-16T21:00:00.000Z')), expectedRevision: 0 }),
    ).rejects.toMatchObject({ code: 'EDIT.STALE_REVISION' });
    expect(await store.readStream('fund-fund-1')).toHaveLength(2);
  });

  it('answers a retry of an edit that landed as the first call did, though the stream has moved past the revision', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, request());
    const first = await handleCommand(store, { ...edit(reschedule('edit-a', '2026-04-17T21:00:00.000Z')), expectedRevision: 0 });
    const again = await handleCommand(store, { ...edit(reschedule('edit-a', '2026-04-17T21:00:00.000Z')), expectedRevision: 0 });
    expect(again).toMatchObject({ alreadyHandled: true, revision: first.revision, position: first.position });
  });
});
