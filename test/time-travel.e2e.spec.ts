import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TimeTravel } from '../apps/api/src/time-travel/time-travel';
import { startApi } from './support/api-client';
import { ok, votingFund, type VotingFund } from './support/voting-fund';

const EVERY = 100;
const CACHED = 2;

let api: Awaited<ReturnType<typeof startApi>>;
let fund: VotingFund;
let timeTravel: TimeTravel;
let replayed = 0;

/** Every asOf-taking field in one document: `at` null is the live answer. */
const ALL = `query($f: ID!, $p: ID!, $pot: ID!, $at: String) {
  fund(id: $f, asOf: $at) { id phase revision position pots { id name budget } }
  funds(asOf: $at) { id phase }
  proposals(fundId: $f, first: 10, asOf: $at) { totalCount edges { node { id title status officialCost revision position } } }
  proposal(id: $p, asOf: $at) { id status officialCost history { type position } }
  tally(potId: $pot, asOf: $at) { potId ballots paperBallots lines { proposalId supporters points } asOfPosition }
}`;

interface Seen {
  position: string;
  answer: Record<string, any>;
}
const history: Seen[] = [];

/** Asks everything, live (at null) or as of a point, with the pot's id where the tally wants it. */
const askAll = (at: string | null) => api.gql(ALL, { f: fund.fundId, p: fund.proposals[0], pot: fund.potId, at }, fund.reviewer);

/** Resolves once `condition` holds (it is state the server reaches on its own: nothing is timed). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}

/** Records what the live queries answer right after the event at `position`. */
const record = async (position: string) => history.push({ position, answer: ok(await askAll(null)) });

const withoutTallyPosition = (answer: Record<string, any>) => ({ ...answer, tally: { ...answer.tally, asOfPosition: undefined } });

beforeAll(async () => {
  api = await startApi({ TIME_TRAVEL_SNAPSHOT_EVERY: String(EVERY), TIME_TRAVEL_CACHE: String(CACHED), TIME_TRAVEL_CONCURRENCY: '1' });
  timeTravel = api.app.get(TimeTravel);
  timeTravel.hooks = { replayed: (n) => (replayed += n) };
  const residents = Array.from({ length: 120 }, (_, i) => `TT-${String(i).padStart(4, '0')}`);
  fund = await votingFund(api, residents, { until: 'review' });
  // Review has started (the last event of the fund so far): the proposals are as submitted.
  await record(ok(await askAll(null)).fund.position);
  for (const id of fund.proposals) {
    const accepted = ok(
      await api.gql(`mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "1000000") { position } }`, { id }, fund.reviewer),
    );
    await record(accepted.acceptProposal.position);
  }
  const opened = ok(await api.gql(`mutation($id: ID!) { openVoting(fundId: $id) { fund { position } } }`, { id: fund.fundId }, fund.admin));
  await record(opened.openVoting.fund.position);
  const ballot = (verb: string, r: string, picks: string[]) =>
    api
      .gql(
        `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { ${verb}(fundId: $f, potId: $p, content: $c) { position } }`,
        { f: fund.fundId, p: fund.potId, c: { proposalIds: picks } },
        fund.tokens[r],
      )
      .then((res) => ok(res)[verb].position as string);
  for (const [i, r] of residents.entries()) {
    const position = await ballot('castBallot', r, [fund.proposals[i % 3], fund.proposals[(i + 1) % 3]].slice(0, 1 + (i % 2)));
    if (i % 4 === 0) await record(position);
  }
  for (const [i, r] of residents.slice(0, 40).entries()) {
    const position = await ballot('replaceBallot', r, [fund.proposals[2]]);
    if (i % 4 === 0) await record(position);
  }
  for (const r of residents.slice(40, 50)) {
    const withdrawn = ok(
      await api.gql(
        `mutation($f: ID!, $p: ID!) { withdrawBallot(fundId: $f, potId: $p) { position } }`,
        { f: fund.fundId, p: fund.potId },
        fund.tokens[r],
      ),
    );
    await record(withdrawn.withdrawBallot.position);
  }
}, 120_000);

afterAll(() => api.stop(), 30_000);

/** Each asOf-taking field alone, as of `at`. */
const FIELDS = [
  `query($at: String) { funds(asOf: $at) { id } }`,
  `query($f: ID!, $at: String) { fund(id: $f, asOf: $at) { id } }`,
  `query($f: ID!, $at: String) { proposals(fundId: $f, asOf: $at) { totalCount } }`,
  `query($p: ID!, $at: String) { proposal(id: $p, asOf: $at) { id } }`,
  `query($pot: ID!, $at: String) { tally(potId: $pot, asOf: $at) { ballots } }`,
];
const askField = (query: string, at: string) =>
  api.gql(query, { f: fund.fundId, p: fund.proposals[0], pot: fund.potId, at }, fund.reviewer);

describe('time travel (asOf) over HTTP', () => {
  it('answers, at every recorded position, what the live queries answered then; the tally names the position asked for', async () => {
    expect(history.length).toBeGreaterThan(40);
    // Newest first, then oldest: the cache (of 2) is no help.
    for (const seen of [...history].reverse()) {
      const then = ok(await askAll(seen.position));
      expect(withoutTallyPosition(then)).toEqual(withoutTallyPosition(seen.answer));
      expect(then.tally.asOfPosition).toBe(seen.position);
    }
    // The same point asked twice, or by a time, is served from the one cached database.
    const last = history[history.length - 1];
    expect(ok(await askAll(last.position)).tally.asOfPosition).toBe(last.position);
    const before = replayed;
    expect(ok(await askAll(last.position)).tally.asOfPosition).toBe(last.position);
    expect(ok(await askAll(` ${last.position} `)).tally.asOfPosition).toBe(last.position);
    expect(replayed).toBe(before);
  });

  it('replays from the nearest snapshot, never from the start', async () => {
    const snapshots = readdirSync(join(api.dir, 'read-models.sqlite.snapshots'), { recursive: true }).filter((f) =>
      String(f).endsWith('.sqlite'),
    );
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    // The ballots' rows of each snapshot are in a second file, read in place.
    const firsts = snapshots.filter((f) => !String(f).endsWith('.apart.sqlite'));
    expect(snapshots.filter((f) => String(f).endsWith('.apart.sqlite')).map((f) => String(f).replace('.apart', ''))).toEqual(firsts);
    const late = history.slice(-12);
    const perRequest: number[] = [];
    for (const seen of late) {
      // The SQLite store's positions count events from 1: each of these lies past two snapshots.
      expect(Number(seen.position)).toBeGreaterThan(2 * EVERY);
      let n = 0;
      timeTravel.hooks = { replayed: (k) => (n += k) };
      timeTravel.clear(); // nothing cached: each is built
      ok(await askAll(seen.position));
      perRequest.push(n);
    }
    timeTravel.hooks = { replayed: (n) => (replayed += n) };
    // At most the events since the last snapshot (the interval, and the rest of the batch that crossed it).
    expect(Math.max(...perRequest)).toBeLessThan(EVERY + 20);
    expect(perRequest.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('refuses a bad asOf on every asOf-taking field with INPUT.INVALID, replaying nothing; a time before the history is its empty start', async () => {
    const before = replayed;
    const beyond = String(Number(history[history.length - 1].position) + 1_000_000);
    for (const bad of [
      'no-such-position',
      beyond,
      '0',
      '-1',
      '',
      'x'.repeat(500),
      '2026-13-45T25:61:00Z',
      '2026-02-30T10:00:00Z',
      '2026-02-29T10:00Z',
    ]) {
      for (const query of FIELDS) {
        const res = await askField(query, bad);
        expect({ bad, query, codes: res.errors?.map((e) => e.extensions.code) }).toEqual({ bad, query, codes: ['INPUT.INVALID'] });
      }
    }
    expect(replayed).toBe(before);
    const start = ok(await askAll('2000-01-01T00:00:00Z'));
    expect(start).toEqual({
      fund: null,
      funds: [],
      proposals: { totalCount: 0, edges: [] },
      proposal: null,
      tally: { potId: fund.potId, ballots: 0, paperBallots: 0, lines: [], asOfPosition: 'start' },
    });
  });

  it('never reads a closed database: a request holding one while others evict it still answers', async () => {
    const [held, ...others] = history.slice(0, CACHED + 3);
    timeTravel.clear();
    let arrived!: () => void;
    const holding = new Promise<void>((r) => (arrived = r));
    let letGo!: () => void;
    const release = new Promise<void>((r) => (letGo = r));
    timeTravel.hooks = {
      replayed: (n) => (replayed += n),
      beforeRead: (moment) => {
        if (moment.position !== held.position) return;
        arrived();
        return release;
      },
    };
    const first = askAll(held.position);
    await holding; // the first request has its database and is about to read it
    for (const other of others) {
      const then = ok(await askAll(other.position));
      expect(withoutTallyPosition(then)).toEqual(withoutTallyPosition(other.answer));
    }
    expect(timeTravel.cached.entries).toBeLessThanOrEqual(CACHED); // the held one was evicted
    letGo();
    const res = await first;
    expect(res.errors).toBeUndefined();
    expect(withoutTallyPosition(res.data)).toEqual(withoutTallyPosition(held.answer));
    timeTravel.hooks = { replayed: (n) => (replayed += n) };
  });

  it('builds at most TIME_TRAVEL_CONCURRENCY databases at once, queues a few, and refuses more with RATE_LIMITED', async () => {
    timeTravel.clear();
    let letGo!: () => void;
    const release = new Promise<void>((r) => (letGo = r));
    const started: string[] = [];
    timeTravel.hooks = {
      building: (moment) => {
        started.push(String(moment.position));
        return release;
      },
    };
    const ask = (i: number) => askField(FIELDS[4], history[i].position);
    const asked = [ask(0)];
    await until(() => started.length === 1); // building
    for (let i = 1; i <= 8; i++) asked.push(ask(i));
    await until(() => timeTravel.cached.entries === 9); // 8 waiting (8 × TIME_TRAVEL_CONCURRENCY)
    const refused = await ask(9);
    letGo();
    expect(refused.errors?.map((e) => e.extensions.code)).toEqual(['RATE_LIMITED']);
    expect(started).toHaveLength(1);
    const answers = await Promise.all(asked);
    for (const [i, res] of answers.entries()) expect(ok(res).tally.ballots).toBe(history[i].answer.tally.ballots);
    expect(started).toHaveLength(9);
    timeTravel.hooks = { replayed: (n) => (replayed += n) };
  });
});
