import { randomUUID } from 'node:crypto';
import type { ChallengeRequest, SignInCodeStore } from '../email-code/sign-in-code-store.port';

/** A request for a code, with small limits. */
export const challengeRequest = (overrides: Partial<ChallengeRequest> = {}): ChallengeRequest => ({
  id: `c-${randomUUID()}`,
  addressHash: `addr-${randomUUID()}`,
  clientHash: `client-${randomUUID()}`,
  now: 1_000_000,
  expiresAt: 1_600_000,
  windowMs: 3_600_000,
  perAddress: 2,
  perClient: 3,
  job: { kind: 'sign-in-code', payloadSealed: 'sealed' },
  ...overrides,
});

/** What every sign-in code store does; run by each adapter's spec. */
export function signInCodeStoreContract(name: string, open: () => Promise<SignInCodeStore>): void {
  describe(name, () => {
    let sut: SignInCodeStore;
    beforeEach(async () => (sut = await open()));
    afterEach(() => sut.close());

    it('opens challenges within the limits per address and per client, and nothing beyond them', async () => {
      const first = challengeRequest();
      expect(await sut.openChallenge(first)).toBe('opened');
      expect(await sut.openChallenge(challengeRequest({ addressHash: first.addressHash, now: 1_000_100 }))).toBe('opened');
      const refused = challengeRequest({ addressHash: first.addressHash, now: 1_000_200 });
      expect(await sut.openChallenge(refused)).toBe('address-limited');
      expect(await sut.challenge(refused.id)).toBeUndefined();
      // An hour later the window has moved on.
      expect(await sut.openChallenge(challengeRequest({ addressHash: first.addressHash, now: 1_000_000 + 3_600_000 }))).toBe('opened');
      const client = challengeRequest().clientHash;
      for (let i = 0; i < 3; i++) expect(await sut.openChallenge(challengeRequest({ clientHash: client }))).toBe('opened');
      expect(await sut.openChallenge(challengeRequest({ clientHash: client }))).toBe('client-limited');
    });

    it('keeps a challenge with its code and subject, counts wrong tries, and uses it once', async () => {
      const request = challengeRequest();
      await sut.openChallenge(request);
      expect(await sut.challenge(request.id)).toEqual({
        id: request.id,
        expiresAt: request.expiresAt,
        attempts: 0,
        codeHash: null,
        subjectSealed: null,
        usedAt: null,
      });
      await sut.setCode(request.id, 'code-hash', 'subject-sealed');
      expect(await sut.wrongAttempt(request.id)).toBe(1);
      expect(await sut.wrongAttempt(request.id)).toBe(2);
      expect(await sut.consume(request.id, 1_000_500, 5)).toBe(true);
      expect(await sut.consume(request.id, 1_000_600, 5)).toBe(false);
      expect(await sut.challenge(request.id)).toMatchObject({
        attempts: 2,
        codeHash: 'code-hash',
        subjectSealed: 'subject-sealed',
        usedAt: 1_000_500,
      });
    });

    it('refuses to use a code once wrong tries have locked it', async () => {
      const request = challengeRequest();
      await sut.openChallenge(request);
      for (let i = 0; i < 5; i++) await sut.wrongAttempt(request.id);
      expect(await sut.consume(request.id, 1_000_500, 5)).toBe(false);
      expect((await sut.challenge(request.id))?.usedAt).toBeNull();
    });

    it('queues each opened challenge’s job, hands out due jobs oldest first, retries later and finishes them', async () => {
      const pending = await sut.pendingJobs();
      const now = 50_000_000_000 + Math.floor(Math.random() * 1_000_000);
      await sut.openChallenge(challengeRequest({ now, job: { kind: 'k', payloadSealed: 'first' } }));
      await sut.openChallenge(challengeRequest({ now: now + 1, job: { kind: 'k', payloadSealed: 'second' } }));
      expect(await sut.pendingJobs()).toBe(pending + 2);
      expect(await sut.hasDueJobs(now + 1)).toBe(true);
      const jobs = (await sut.claimJobs(now + 1, 20, 60_000)).filter((j) => ['first', 'second'].includes(j.payloadSealed));
      expect(jobs.map((j) => [j.kind, j.payloadSealed, j.attempts])).toEqual([
        ['k', 'first', 0],
        ['k', 'second', 0],
      ]);
      await sut.retryJob(jobs[0].id, now + 10_000);
      await sut.finishJob(jobs[1].id);
      expect(await sut.pendingJobs()).toBe(pending + 1);
      const later = (await sut.claimJobs(now + 10_000, 20, 60_000)).filter((j) => j.id === jobs[0].id);
      expect(later.map((j) => j.attempts)).toEqual([1]);
      await sut.finishJob(jobs[0].id);
      expect(await sut.pendingJobs()).toBe(pending);
    });

    it('purges challenges a day past their expiry', async () => {
      const old = challengeRequest({ now: 10, expiresAt: 20 });
      const recent = challengeRequest();
      await sut.openChallenge(old);
      await sut.openChallenge(recent);
      await sut.purge(20 + 24 * 3600_000 + 1);
      expect(await sut.challenge(old.id)).toBeUndefined();
      expect(await sut.challenge(recent.id)).toBeDefined();
    });
  });
}
