import type { NewNotification, NotificationStore } from './notification-store.port';

const message = (key: string, residentId = 'r1'): NewNotification => ({
  key,
  kind: 'proposal-accepted',
  residentId,
  params: { title: key },
});

/** What every notification store does, run against each adapter (a fresh, empty store per test). */
export function notificationStoreContract(name: string, open: () => Promise<NotificationStore>): void {
  describe(name, () => {
    let store: NotificationStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

    it('moves the checkpoint only from where it stands, queuing each message once', async () => {
      expect(await store.checkpoint()).toBeUndefined();
      expect(await store.advance(undefined, 'start', [], 0)).toBe(true);
      expect(await store.advance(undefined, 'p1', [message('a')], 0)).toBe(false); // another node started it
      expect(await store.advance('start', 'p1', [message('a')], 0)).toBe(true);
      expect(await store.advance('start', 'p2', [message('b')], 0)).toBe(false); // stale: nothing written
      expect(await store.advance('p1', 'p2', [message('a'), message('c')], 0)).toBe(true);
      await store.enqueue([message('c'), message('d')], 0);
      expect(await store.checkpoint()).toBe('p2');
      expect((await store.claim(10, 20, 10)).map((m) => m.key)).toEqual(['a', 'c', 'd']);
    });

    it('leases what it hands out: taken again only after the lease, a finished one never, a retried one when due', async () => {
      await store.enqueue([message('a'), message('b'), message('c')], 100);
      const [a, b, c] = await store.claim(100, 200, 10);
      expect(await store.claim(150, 250, 10)).toEqual([]);
      await store.finish(a.id, 150, 'sent');
      await store.retry(b.id, 400);
      await store.release(c.id);
      expect((await store.claim(150, 250, 10)).map((m) => m.key)).toEqual(['c']);
      expect((await store.claim(300, 350, 10)).map((m) => m.key)).toEqual(['c']); // its lease ran out
      const [again] = await store.claim(400, 500, 1);
      expect({ key: again.key, attempts: again.attempts }).toEqual({ key: 'b', attempts: 1 });
      expect(await store.pending()).toBe(2);
      await store.enqueue([message('a')], 600); // sent once: its key is kept, it is not queued again
      expect((await store.claim(1000, 1100, 10)).map((m) => m.key)).toEqual(['b', 'c']);
    });

    it('keeps a resident’s choice, lists those who opted in, and forgets an erased resident with their unsent messages', async () => {
      await store.setPreference({ residentId: 'r1', optedIn: true, language: 'bn', referenceSealed: 's1', updatedAt: 1 });
      await store.setPreference({ residentId: 'r2', optedIn: false, language: 'en', referenceSealed: 's2', updatedAt: 1 });
      await store.setPreference({ residentId: 'r2', optedIn: true, language: 'en', referenceSealed: 's2', updatedAt: 2 });
      expect(await store.preference('r1')).toEqual({
        residentId: 'r1',
        optedIn: true,
        language: 'bn',
        referenceSealed: 's1',
        updatedAt: 1,
      });
      expect((await store.optedIn()).map((p) => p.residentId)).toEqual(['r1', 'r2']);
      await store.enqueue([message('to-r1', 'r1'), message('to-r2', 'r2')], 0);
      await store.forget('r1');
      expect(await store.preference('r1')).toBeUndefined();
      expect((await store.claim(10, 20, 10)).map((m) => m.key)).toEqual(['to-r2']);
    });
  });
}
