import { prepareAppend, WrongExpectedVersionError, type EventData } from '@civic/event-store';
import { planBatch } from './plan-batch';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ev = (n: number): EventData => ({ id: id(n), type: 'E', data: { n } });
const empty = { revisions: new Map(), recorded: new Map() };

describe(planBatch.name, () => {
  it('lets later requests of a batch see the revisions written by earlier ones', () => {
    const plan = planBatch(
      [
        [prepareAppend('fund-1', [ev(1), ev(2)], { expectedRevision: 'no_stream' })],
        [prepareAppend('fund-1', [ev(3)], { expectedRevision: 1 })],
        [prepareAppend('fund-1', [ev(4)], { expectedRevision: 1 })],
      ],
      empty,
    );
    expect(plan.rows.map((r) => [r.eventId, r.revision])).toEqual([
      [id(1), 0],
      [id(2), 1],
      [id(3), 2],
    ]);
    expect(plan.outcomes[0]).toEqual({ ok: true, value: [{ nextExpectedRevision: 1, lastEventId: id(2) }] });
    expect(plan.outcomes[1]).toEqual({ ok: true, value: [{ nextExpectedRevision: 2, lastEventId: id(3) }] });
    expect(plan.outcomes[2]).toMatchObject({ ok: false, error: expect.any(WrongExpectedVersionError) });
  });

  it('treats a retry inside the same batch as idempotent, its position to be filled by the insert', () => {
    const req = prepareAppend('fund-1', [ev(1)], { expectedRevision: 'no_stream' });
    const plan = planBatch([[req], [req]], empty);
    expect(plan.rows).toHaveLength(1);
    expect(plan.outcomes[1]).toEqual({ ok: true, value: [{ nextExpectedRevision: 0, lastEventId: id(1), position: undefined }] });
  });

  it('answers a retry of events recorded before the batch with their stored position', () => {
    const recorded = new Map([[id(1), { streamName: 'fund-1', revision: 4, position: 'p' }]]);
    const plan = planBatch([[prepareAppend('fund-1', [ev(1)], { expectedRevision: 3 })]], {
      revisions: new Map([['fund-1', 9]]),
      recorded,
    });
    expect(plan.rows).toEqual([]);
    expect(plan.outcomes[0]).toEqual({ ok: true, value: [{ nextExpectedRevision: 4, lastEventId: id(1), position: 'p' }] });
  });
  it('writes no row of a multi-stream request with a failing part, and later requests do not see its parts', () => {
    const plan = planBatch(
      [
        [prepareAppend('fund-1', [ev(1)], { expectedRevision: 'no_stream' }), prepareAppend('fund-2', [ev(2)], { expectedRevision: 5 })],
        [prepareAppend('fund-1', [ev(3)], { expectedRevision: 'no_stream' }), prepareAppend('fund-1', [ev(4)], { expectedRevision: 0 })],
      ],
      empty,
    );
    expect(plan.outcomes[0]).toMatchObject({ ok: false, error: expect.any(WrongExpectedVersionError) });
    expect(plan.rows.map((r) => [r.request, r.eventId, r.revision])).toEqual([
      [1, id(3), 0],
      [1, id(4), 1],
    ]);
    expect(plan.outcomes[1]).toEqual({
      ok: true,
      value: [
        { nextExpectedRevision: 0, lastEventId: id(3) },
        { nextExpectedRevision: 1, lastEventId: id(4) },
      ],
    });
  });
});
