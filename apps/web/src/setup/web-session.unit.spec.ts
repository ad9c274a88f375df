import { WebSessionStore } from './web-session';

describe(WebSessionStore.name, () => {
  let now = 0;
  const sut = () => new WebSessionStore(':memory:', { idleMs: 1000, absoluteMs: 5000 }, () => now);

  beforeEach(() => (now = 1_000_000));

  it('ends a session left idle longer than the idle time', () => {
    const store = sut();
    const { id } = store.create();
    now += 999;
    expect(store.get(id)).toBeDefined();
    now += 1001;
    expect(store.get(id)).toBeUndefined();
    now -= 1001;
    expect(store.get(id)).toBeUndefined(); // revoked, not merely hidden
  });

  it('ends a busy session at its absolute expiry', () => {
    const store = sut();
    const { id } = store.create();
    for (let i = 0; i < 5; i++) {
      now += 900;
      expect(store.get(id)).toBeDefined();
    }
    now += 600;
    expect(store.get(id)).toBeUndefined();
  });

  it('revokes at once, and keeps only a hash of the id', () => {
    const store = sut();
    const { id, data } = store.create({ subject: 'TH-1', role: 'resident', method: 'dev', apiToken: 't' });
    expect(store.get(id)).toEqual(data);
    expect(store.get(`${id}x`)).toBeUndefined();
    store.revoke(id);
    expect(store.get(id)).toBeUndefined();
  });
});
