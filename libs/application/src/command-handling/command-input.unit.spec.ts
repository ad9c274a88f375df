import { FixedClock } from '../ports/clock.port';
import { causedBy, stamp } from './command-input';

describe(stamp.name, () => {
  const clock = new FixedClock('2026-04-07T12:00:00.000Z');
  const actor = { role: 'administrator', id: 'staff-admin' } as const;

  it('stamps the time from the clock, and correlates a command with itself by default', () =>
    expect(stamp('OpenVoting', { fundId: 'f' }, { commandId: 'c1', actor }, clock).metadata).toEqual({
      commandId: 'c1',
      actor,
      correlationId: 'c1',
      causationId: 'c1',
      time: '2026-04-07T12:00:00.000Z',
    }));

  it('keeps the flow of a command caused by another', () => {
    const child = causedBy({ commandId: 'parent', actor, correlationId: 'flow-1' }, 'child');
    expect(stamp('OpenVoting', { fundId: 'f' }, child, clock).metadata).toMatchObject({
      commandId: 'child',
      correlationId: 'flow-1',
      causationId: 'parent',
    });
  });

  it('refuses a command without a usable id', () =>
    expect(() => stamp('OpenVoting', { fundId: 'f' }, { commandId: '', actor }, clock)).toThrow(
      expect.objectContaining({ code: 'COMMAND.INVALID' }),
    ));
});
