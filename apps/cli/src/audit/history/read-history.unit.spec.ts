import { InMemoryEventStore } from '@civic/event-store';
import { storeLog } from '../shared/event-log';
import { passOver } from './read-history';

const event = (i: number) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'Noted', data: { i } });

describe(passOver.name, () => {
  it('stops between two pages when the signal aborts, having visited a prefix of the log', async () => {
    const store = new InMemoryEventStore();
    for (let i = 0; i < 4500; i++) await store.append(`note-${i % 7}`, [event(i)]);
    const controller = new AbortController();
    const seen: number[] = [];
    const end = await passOver(storeLog(store, 'memory'), (e) => void seen.push((e.data as { i: number }).i), {
      signal: controller.signal,
      onProgress: (n) => n >= 2000 && controller.abort(),
    });
    expect(end).toEqual({ events: 2000, stopped: false, interrupted: true });
    expect(seen).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('stops where the visitor says, counting the event it was given', async () => {
    const store = new InMemoryEventStore();
    for (let i = 0; i < 10; i++) await store.append('note-1', [event(i)]);
    const end = await passOver(storeLog(store, 'memory'), (e) => (e.data as { i: number }).i !== 3);
    expect(end).toEqual({ events: 4, stopped: true, interrupted: false });
  });
});
