import { startApi } from './support/api-client';

/**
 * Sessions over HTTP: every token names a server-side session; sign-out and expiry stop it at
 * the next request (however often it was verified before), and sessions outlive a restart.
 */
// Each start of the API takes seconds on a loaded machine.
jest.setTimeout(60_000);
type Api = Awaited<ReturnType<typeof startApi>>;
const ME = '{ me { subject role signedInWith } }';
const sidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
const codeOf = (res: { errors?: { extensions: { code: string } }[] }) => res.errors?.[0]?.extensions.code;

/** A clock the test moves. */
const clock = { at: Date.UTC(2030, 0, 1, 9), now: () => clock.at };
const minutes = (n: number) => n * 60_000;

describe('API sessions', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '2' }, { authClock: clock });
  });
  afterAll(() => api.stop());

  it('starts a new session, with a new id, at every sign-in; the principal says how it signed in', async () => {
    const first = await api.signIn('resident', 'TH-000001');
    const second = await api.signIn('resident', 'TH-000001');
    expect(sidOf(first)).not.toBe(sidOf(second));
    expect(sidOf(first)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await api.gql(ME, {}, first)).data.me).toEqual({ subject: 'TH-000001', role: 'resident', signedInWith: 'dev' });
  });

  it('signOut ends the session at once: the token, verified and cached before, is refused from the next request on', async () => {
    const token = await api.signIn('reviewer', 'officer-1');
    const other = await api.signIn('reviewer', 'officer-1');
    for (let i = 0; i < 3; i++) expect((await api.gql(ME, {}, token)).data.me.role).toBe('reviewer');
    expect((await api.gql('mutation { signOut }', {}, token)).data.signOut).toBe(true);
    expect(codeOf(await api.gql(ME, {}, token))).toBe('AUTH.UNAUTHENTICATED');
    expect(codeOf(await api.gql('mutation { signOut }', {}, token))).toBe('AUTH.UNAUTHENTICATED');
    // The same person's other session is their own.
    expect((await api.gql(ME, {}, other)).data.me.subject).toBe('officer-1');
  });

  it('signOut needs a session: anonymous callers are refused', async () => {
    expect(codeOf(await api.gql('mutation { signOut }'))).toBe('AUTH.UNAUTHENTICATED');
  });

  it('a session ends after SESSION_IDLE_MINUTES without a request; each request moves the idle expiry on', async () => {
    const token = await api.signIn('resident', 'TH-000002');
    for (let i = 0; i < 4; i++) {
      clock.at += minutes(25);
      expect((await api.gql(ME, {}, token)).data?.me.subject).toBe('TH-000002');
    }
    clock.at += minutes(30);
    expect(codeOf(await api.gql(ME, {}, token))).toBe('AUTH.UNAUTHENTICATED');
  });

  it('a session ends SESSION_ABSOLUTE_HOURS after sign-in, however busy', async () => {
    const token = await api.signIn('administrator', 'admin-1');
    for (let i = 0; i < 4; i++) {
      clock.at += minutes(29);
      expect((await api.gql(ME, {}, token)).data?.me.role).toBe('administrator');
    }
    clock.at += minutes(5); // 2h01 after sign-in, 5 minutes after the last request
    expect(codeOf(await api.gql(ME, {}, token))).toBe('AUTH.UNAUTHENTICATED');
  });

  it('devSignIn answers when the session ends at the latest', async () => {
    const res = await api.gql('mutation { devSignIn(role: auditor, subject: "aud-1") { expiresAt } }');
    expect(res.data.devSignIn.expiresAt).toBe(new Date(clock.at + 2 * 3600_000).toISOString());
  });
});

describe('sessions are kept in their own file, apart from the rebuilt read models', () => {
  it('a session outlives a restart, and so does its sign-out', async () => {
    const first = await startApi();
    const kept = await first.signIn('resident', 'TH-000003');
    const ended = await first.signIn('resident', 'TH-000003');
    expect((await first.gql('mutation { signOut }', {}, ended)).data.signOut).toBe(true);
    await first.stop({ keepFiles: true });

    const second = await startApi({}, { dir: first.dir });
    try {
      expect((await second.gql(ME, {}, kept)).data.me.subject).toBe('TH-000003');
      expect(codeOf(await second.gql(ME, {}, ended))).toBe('AUTH.UNAUTHENTICATED');
    } finally {
      await second.stop();
    }
  });
});
