import { KIOSK_IDLE_MS, type SessionTimes, type WebPrincipal, webSessionKeyOf, WebSessionStore } from './web-session';
import type { WebSessionRecords } from './web-session-records.port';

/**
 * What the web sessions do on every kind of records; run by each adapter's spec. `open` gives
 * records on the same backing each time it is called (a second call is another node).
 */
export function webSessionStoreContract(name: string, open: () => Promise<WebSessionRecords>): void {
  describe(`${WebSessionStore.name} on ${name}`, () => {
    // As in production, a kiosk's two idle minutes are shorter than the idle time.
    const times: SessionTimes = { idleMs: 10 * 60_000, absoluteMs: 50 * 60_000 };
    let now = 0;
    const opened: WebSessionRecords[] = [];
    const sut = async () => {
      const records = await open();
      opened.push(records);
      return new WebSessionStore(records, times, () => now);
    };
    const resident = (subject: string): WebPrincipal => ({ subject, role: 'resident', method: 'dev', apiToken: `token-of-${subject}` });
    const kiosk = { kioskId: 'k-1', fundId: 'f-1', place: 'Bow Library', device: 'd-1' };

    beforeEach(() => (now = 1_000_000_000 + Math.floor(Math.random() * 1_000_000) * 100_000));
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((records) => records.close()));
    });

    it('ends a session left idle longer than the idle time, and forgets it', async () => {
      const store = await sut();
      const { id, saved } = store.create();
      await saved;
      now += times.idleMs - 1;
      expect(await store.get(id)).toBeDefined();
      now += times.idleMs + 1;
      expect(await store.get(id)).toBeUndefined();
      now -= times.idleMs + 1;
      expect(await store.get(id)).toBeUndefined(); // revoked, not merely hidden
    });

    it('ends a busy session at its absolute expiry', async () => {
      const store = await sut();
      const { id, saved } = store.create(resident('TH-1'));
      await saved;
      for (let i = 0; i < 5; i++) {
        now += times.idleMs - 60_000;
        expect(await store.get(id)).toBeDefined();
      }
      now += times.absoluteMs - 5 * (times.idleMs - 60_000) + 1;
      expect(await store.get(id)).toBeUndefined();
    });

    it('revokes at once, and finds a session by the hash of its id only', async () => {
      const store = await sut();
      const { id, data, saved } = store.create(resident('TH-2'));
      await saved;
      expect(await store.get(id)).toEqual(data);
      expect(await store.get(`${id}x`)).toBeUndefined();
      expect(await store.get('x'.repeat(101))).toBeUndefined();
      const key = webSessionKeyOf(id);
      expect(key.lookup).toMatch(/^[0-9a-f]{64}$/);
      // The records already kept are found by the SHA-256 of their id, in hex: the same for every Node.
      expect(webSessionKeyOf('abc').lookup).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(await opened[0].find(key)).toMatchObject({ data });
      expect(await opened[0].find({ ...key, lookup: id })).toBeUndefined();
      await store.revoke(id);
      expect(await store.get(id)).toBeUndefined();
    });

    it('gives every new session a new id and a new form token, and keeps both for its life', async () => {
      const store = await sut();
      const anonymous = store.create();
      await anonymous.saved;
      // Signing in: the old id is revoked, the new one carries the principal and a token of its own.
      await store.revoke(anonymous.id);
      const signedIn = store.create(resident('TH-3'));
      await signedIn.saved;
      expect(signedIn.id).not.toBe(anonymous.id);
      expect(signedIn.data.csrf).not.toBe(anonymous.data.csrf);
      expect(signedIn.data.csrf).toMatch(/^[\w-]{43}$/);
      expect(await store.get(anonymous.id)).toBeUndefined();
      now += times.idleMs - 1;
      expect((await store.get(signedIn.id))?.csrf).toBe(signedIn.data.csrf);
      expect(await store.get(signedIn.id)).toEqual({ csrf: signedIn.data.csrf, principal: resident('TH-3') });
    });

    it('keeps a device in kiosk mode however long it waits, and signs its resident out after two idle minutes', async () => {
      const store = await sut();
      const device = store.create(undefined, kiosk);
      await device.saved;
      now += times.absoluteMs - 1;
      expect(await store.get(device.id)).toEqual({ csrf: device.data.csrf, kiosk });
      const atKiosk = store.create({ ...resident('TH-4'), method: 'kiosk' }, kiosk);
      await atKiosk.saved;
      now += KIOSK_IDLE_MS - 1;
      expect((await store.get(atKiosk.id))?.principal?.subject).toBe('TH-4');
      now += KIOSK_IDLE_MS;
      // The resident left: the device stays in kiosk mode, with the same form token.
      expect(await store.get(atKiosk.id)).toEqual({ csrf: atKiosk.data.csrf, kiosk });
      now += KIOSK_IDLE_MS * 2;
      expect(await store.get(atKiosk.id)).toEqual({ csrf: atKiosk.data.csrf, kiosk });
      now += times.absoluteMs;
      expect(await store.get(atKiosk.id)).toBeUndefined();
    });

    it('sweeps the idle and the expired, keeping the live and the devices waiting in kiosk mode', async () => {
      const store = await sut();
      const old = store.create(resident('TH-5'));
      const waiting = store.create(undefined, kiosk);
      await Promise.all([old.saved, waiting.saved]);
      now += times.idleMs + 1;
      const live = store.create(resident('TH-6'));
      await live.saved;
      expect(await store.sweep()).toBeGreaterThanOrEqual(1);
      expect(await opened[0].find(webSessionKeyOf(old.id))).toBeUndefined();
      expect(await store.get(waiting.id)).toBeDefined();
      expect(await store.get(live.id)).toBeDefined();
      now += times.absoluteMs;
      await store.sweep();
      for (const { id } of [waiting, live]) expect(await opened[0].find(webSessionKeyOf(id))).toBeUndefined();
    });

    it('shares its sessions with another store on the same records: a sign-in through one holds on the other, a sign-out on both', async () => {
      const [a, b] = [await sut(), await sut()];
      const { id, data, saved } = a.create(resident('TH-7'));
      await saved;
      expect(await b.get(id)).toEqual(data);
      await b.revoke(id);
      expect(await a.get(id)).toBeUndefined();
    });

    it('ends a session at once on a store that has just found it, when another store on the same records signs it out', async () => {
      const [a, b] = [await sut(), await sut()];
      const { id, data, saved } = a.create(resident('TH-8'));
      await saved;
      // Both have found it (a store may keep what it found): the sign-out through one holds on the other from the next request.
      expect(await a.get(id)).toEqual(data);
      expect(await b.get(id)).toEqual(data);
      expect(await a.get(id)).toEqual(data);
      await b.revoke(id);
      expect(await a.get(id)).toBeUndefined();
      expect(await b.get(id)).toBeUndefined();
    });

    it('keeps a session alive on a store that found it before another store restarted its idle clock', async () => {
      const [a, b] = [await sut(), await sut()];
      const { id, data, saved } = a.create(resident('TH-9'));
      await saved;
      expect(await a.get(id)).toEqual(data);
      now += times.idleMs - 60_000;
      expect(await b.get(id)).toEqual(data); // through the other store: its idle clock restarts
      now += 120_000; // idle since `a` last saw it, not since `b` did
      expect(await a.get(id)).toEqual(data);
      expect(await b.get(id)).toEqual(data);
    });
  });
}
