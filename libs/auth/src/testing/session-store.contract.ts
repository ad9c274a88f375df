import { sessionRefusal, type SessionRecord } from '../sessions/session';

import type { SessionStore } from '../sessions/session-store.port';

/** What every session store does; run by each adapter's spec. */
export function sessionStoreContract(name: string, open: () => Promise<SessionStore>): void {
  describe(name, () => {
    let store: SessionStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

    const record = (id: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
      id,
      subject: 'TH-1',
      role: 'resident',
      method: 'email-code',
      createdAt: 1_000,
      lastSeenAt: 1_000,
      idleMs: 500,
      absoluteExpiresAt: 10_000,
      ...overrides,
    });

    it('finds what it created, with every field', async () => {
      const id = `s-${Math.random()}`;
      await store.create(record(id, { providerSubject: 'https://idp|abc', method: 'oidc-staff' }));
      expect(await store.find(id)).toEqual(record(id, { providerSubject: 'https://idp|abc', method: 'oidc-staff' }));
      expect(await store.find('nobody')).toBeUndefined();
    });

    it('a touch moves the idle expiry on, never back', async () => {
      const id = `s-${Math.random()}`;
      await store.create(record(id));
      await store.touch(id, 1_400);
      await store.touch(id, 1_200);
      const found = await store.find(id);
      expect(found?.lastSeenAt).toBe(1_400);
      expect(sessionRefusal(found, 1_800)).toBeUndefined();
      expect(sessionRefusal(found, 1_900)).toBe('idle');
      expect(sessionRefusal(found, 10_000)).toBe('expired');
    });

    it('revokes once', async () => {
      const id = `s-${Math.random()}`;
      await store.create(record(id));
      expect(await store.revoke(id, 1_100)).toBe(true);
      expect(await store.revoke(id, 1_200)).toBe(false);
      expect(sessionRefusal(await store.find(id), 1_150)).toBe('revoked');
      expect(await store.revoke('nobody', 1_200)).toBe(false);
    });

    it('keeps the kiosk of a kiosk session, and revokes at once every open session of a kiosk, only those', async () => {
      const kiosk = `k-${Math.random()}`;
      const [first, second, ended, elsewhere, online] = ['a', 'b', 'c', 'd', 'e'].map((x) => `s-${x}-${Math.random()}`);
      for (const id of [first, second, ended]) await store.create(record(id, { method: 'kiosk', kioskId: kiosk }));
      await store.create(record(elsewhere, { method: 'kiosk', kioskId: `other-${kiosk}` }));
      await store.create(record(online));
      expect((await store.find(first))?.kioskId).toBe(kiosk);
      expect((await store.find(online))?.kioskId).toBeUndefined();
      await store.revoke(ended, 1_050);
      expect((await store.revokeAtKiosk(kiosk, 1_100)).sort()).toEqual([first, second].sort());
      expect(sessionRefusal(await store.find(first), 1_150)).toBe('revoked');
      expect((await store.find(ended))?.revokedAt).toBe(1_050);
      expect(sessionRefusal(await store.find(elsewhere), 1_150)).toBeUndefined();
      expect(sessionRefusal(await store.find(online), 1_150)).toBeUndefined();
      expect(await store.revokeAtKiosk(kiosk, 1_200)).toEqual([]);
    });

    it('refuses a revoked outside token until its expiry, and purges what has expired', async () => {
      const hash = `h-${Math.random()}`;
      const id = `s-${Math.random()}`;
      await store.create(record(id));
      await store.revokeToken(hash, 5_000);
      expect(await store.isTokenRevoked(hash, 4_999)).toBe(true);
      expect(await store.isTokenRevoked(hash, 5_000)).toBe(false);
      expect(await store.isTokenRevoked('other', 1)).toBe(false);
      await store.saveHandoff(`c-${hash}`, 'token-1', 3_000);
      expect(await store.takeHandoff(`c-${hash}`, 3_000)).toBeUndefined(); // expired
      await store.saveHandoff(`d-${hash}`, 'token-2', 3_000);
      expect(await store.takeHandoff(`d-${hash}`, 2_000)).toBe('token-2');
      expect(await store.takeHandoff(`d-${hash}`, 2_000)).toBeUndefined(); // once
      expect(await store.purge(10_000)).toBeGreaterThanOrEqual(3);
      expect(await store.find(id)).toBeUndefined();
    });
  });
}
