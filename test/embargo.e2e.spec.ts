import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { parsePabulib } from '@civic/allocation';
import { PHASES, type Phase } from '@civic/domain';
import { DATA_KINDS, EMBARGO, VIEWERS, type DataKind, type Level, type Viewer } from '@civic/policy';
import { cli } from '../apps/cli/src/audit/testing/cli';
import { fundTopic, LiveUpdates, tallyTopic } from '../apps/api/src/live/live-updates';
import { startApi, type Gql } from './support/api-client';
import { fundsInEveryPhase, VOTERS, type EmbargoFund, type EmbargoTokens } from './support/embargo-funds';

/**
 * The embargo table walked against every path that serves data: for each (data kind, viewer,
 * phase) cell, a fund brought to that phase through the real API, and each path that carries
 * that kind asked as that viewer — GraphQL over HTTP (with and without asOf), subscriptions
 * over WebSocket, `auditLog`, the CLI's jsonl and pb exports (the public, and `--auditor`),
 * `/metrics`. The data must be there exactly when the table says `visible` (or `own`, on a
 * path that shows the caller their own). `receiptStanding` has no path yet (issue 15 adds it).
 */

type Seen = 'present' | 'absent';
interface Observation {
  readonly kind: DataKind;
  readonly viewer: Viewer;
  readonly phase: Phase;
  readonly path: string;
  readonly seen: Seen;
  /** A path that shows the caller their own items (myBallot). */
  readonly own?: boolean;
}

/** Where a kind of data exists at all in the walk's funds: elsewhere a path has nothing to show or hide. */
const EXISTS: Record<DataKind, Phase> = {
  fund: 'draft',
  tally: 'draft',
  ballotMarks: 'voting_open',
  ballotTimes: 'voting_open',
  draftAllocation: 'voting_closed',
  results: 'voting_closed',
  receiptStanding: 'voting_open',
  pseudonyms: 'voting_open',
  voterLinked: 'voting_open',
  auditLog: 'draft',
};
const exists = (kind: DataKind, phase: Phase) => PHASES.indexOf(phase) >= PHASES.indexOf(EXISTS[kind]);
const expectedSeen = (level: Level, own: boolean): Seen => (level === 'visible' || (level === 'own' && own) ? 'present' : 'absent');

/** A line of history as auditLog or an export shows it. */
interface Line {
  readonly streamName: string;
  readonly type: string;
  readonly data: any;
  readonly recordedAt: string;
}

const ON_THE_HOUR = /T\d\d:00:00\.000Z$/;
const seen = (present: boolean): Seen => (present ? 'present' : 'absent');

/** What a history (auditLog's pages, a jsonl export) shows of one fund, by data kind. */
function fromHistory(lines: readonly Line[], fund: EmbargoFund, text: string): Partial<Record<DataKind, Seen>> {
  const ballots = lines.filter((l) => l.streamName.startsWith(`ballot-${fund.potId}-`));
  const recorded = lines.filter((l) => l.streamName === `allocation-${fund.potId}` && l.type === 'AllocationRecorded');
  const own = lines.filter((l) => l.streamName === `fund-${fund.fundId}`);
  return {
    auditLog: seen(own.length > 0),
    fund: seen(own.some((l) => l.type === 'FundCreated' && l.data.fundId === fund.fundId && typeof l.data.name === 'string')),
    ...(ballots.length > 0
      ? {
          ballotMarks: seen(ballots.some((l) => typeof l.data.content === 'object')),
          ballotTimes: seen(ballots.some((l) => !ON_THE_HOUR.test(l.recordedAt))),
          pseudonyms: seen(ballots.some((l) => /-[0-9a-f]{64}$/.test(l.streamName))),
          voterLinked: seen(VOTERS.some((v) => text.includes(v))),
        }
      : {}),
    ...(recorded.length > 0 ? { draftAllocation: seen(recorded.some((l) => Array.isArray(l.data.lines) && l.data.lines.length > 0)) } : {}),
  };
}

let api: Awaited<ReturnType<typeof startApi>>;
let funds: EmbargoFund[];
let tokens: EmbargoTokens;
const dir = mkdtempSync(join(tmpdir(), 'civic-embargo-'));
const observations: Observation[] = [];
const clients: Client[] = [];

const tokenOf = (viewer: Viewer): string | undefined => (viewer === 'anonymous' ? undefined : tokens[viewer]);
const observe = (kind: DataKind, viewer: Viewer, phase: Phase, path: string, s: Seen, own = false) =>
  observations.push({ kind, viewer, phase, path, seen: s, own });

/** A refusal must be the embargo's AUTH.FORBIDDEN, nothing else. */
function refusedOr<T>(r: Gql, present: (data: any) => T): T | 'refused' {
  if (r.errors) {
    expect(r.errors.map((e) => e.extensions.code)).toEqual(['AUTH.FORBIDDEN']);
    return 'refused';
  }
  return present(r.data);
}

/** The first message of a subscription, triggered by publishing its topic until it comes: present, or absent on AUTH.FORBIDDEN. */
function firstMessage(client: Client, query: string, variables: Record<string, unknown>, trigger: () => void): Promise<Seen> {
  return new Promise<Seen>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (s: Seen) => {
      clearInterval(timer);
      dispose();
      resolve(s);
    };
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value: any) => {
          if (value.errors) {
            if (value.errors.every((e: any) => e.extensions?.code === 'AUTH.FORBIDDEN')) finish('absent');
            else reject(new Error(JSON.stringify(value.errors)));
          } else finish('present');
        },
        error: (err: any) => {
          const codes = (Array.isArray(err) ? err : [err]).map((e: any) => e?.extensions?.code);
          if (codes.length > 0 && codes.every((c) => c === 'AUTH.FORBIDDEN')) finish('absent');
          else reject(new Error(JSON.stringify(err)));
        },
        complete: () => undefined,
      },
    );
    // graphql-ws does not acknowledge a subscription: publish until its first message (or its refusal) arrives.
    timer = setInterval(trigger, 50);
    setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`no answer to ${query}`));
    }, 15_000);
  });
}

beforeAll(async () => {
  api = await startApi({ RATE_LIMIT_PER_MINUTE: '1000000' });
  ({ funds, tokens } = await fundsInEveryPhase(api));
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the embargo table, walked against every path', () => {
  it('GraphQL over HTTP: fund, tally (now and asOf), results, draftAllocation, myBallot, auditLog', async () => {
    const head: string = (await api.gql(`{ version { headPosition } }`)).data.version.headPosition;
    for (const viewer of VIEWERS) {
      const token = tokenOf(viewer);
      const history: Line[] = [];
      let after: string | null = null;
      do {
        const page: Gql = await api.gql(
          `query($a: String) { auditLog(after: $a, first: 100) { endCursor events { streamName type data recordedAt } } }`,
          { a: after },
          token,
        );
        expect(page.errors).toBeUndefined();
        history.push(...page.data.auditLog.events.map((e: any) => ({ ...e, data: JSON.parse(e.data) })));
        after = page.data.auditLog.endCursor;
      } while (after);
      const historyText = JSON.stringify(history);
      for (const fund of funds) {
        const { phase, fundId, potId } = fund;
        const at = (kind: DataKind, path: string, s: Seen, own = false) => observe(kind, viewer, phase, path, s, own);
        for (const [kind, s] of Object.entries(fromHistory(history, fund, historyText))) at(kind as DataKind, 'auditLog', s);

        for (const asOf of [undefined, head]) {
          const f = await api.gql(`query($id: ID!, $a: String) { fund(id: $id, asOf: $a) { id phase } }`, { id: fundId, a: asOf }, token);
          at('fund', asOf ? 'fund(asOf)' : 'fund', seen(f.data?.fund?.phase === phase));
          const t = await api.gql(
            `query($p: ID!, $a: String) { tally(potId: $p, asOf: $a) { ballots lines { proposalId } } }`,
            { p: potId, a: asOf },
            token,
          );
          at(
            'tally',
            asOf ? 'tally(asOf)' : 'tally',
            refusedOr(t, (d) => typeof d.tally.ballots === 'number') === true ? 'present' : 'absent',
          );
        }
        const results = await api.gql(`query($p: ID!) { results(potId: $p) { status lines { proposalId } } }`, { p: potId }, token);
        expect(results.errors).toBeUndefined();
        at('results', 'results', seen(results.data.results.status === 'published' && results.data.results.lines.length > 0));
        const draft = await api.gql(
          `query($p: ID!) { draftAllocation(potId: $p) { status lines { proposalId reason } } }`,
          { p: potId },
          token,
        );
        at(
          'draftAllocation',
          'draftAllocation',
          refusedOr(draft, (d) => d.draftAllocation.lines.length > 0) === true ? 'present' : 'absent',
        );
        if (viewer === 'resident') {
          const mine = await api.gql(
            `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { proposalIds receipt { hash } } }`,
            { f: fundId, p: potId },
            token,
          );
          const ballot = refusedOr(mine, (d) => d.myBallot);
          const has = ballot !== 'refused' && ballot !== null && ballot.proposalIds.length > 0;
          at('ballotMarks', 'myBallot', seen(has), true);
          at('voterLinked', 'myBallot', seen(has), true);
          // A receipt names no pseudonym any more (only the event's hash): myBallot shows none.
          expect(has ? ballot.receipt.hash : '').toMatch(has ? /^[0-9a-f]{64}$/ : /^$/);
        }
      }
    }
  }, 120_000);

  it('subscriptions over WebSocket: tallyUpdated and fundChanged', async () => {
    const live = api.app.get(LiveUpdates);
    const url = api.url.replace('http', 'ws') + '/graphql';
    for (const viewer of VIEWERS) {
      const token = tokenOf(viewer);
      const client = createClient({
        url,
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      for (const { phase, fundId, potId } of funds) {
        const tally = await firstMessage(
          client,
          `subscription($p: ID!) { tallyUpdated(potId: $p) { ballots } }`,
          { p: potId },
          () => void live.pubsub.publish(tallyTopic(potId), { potId }),
        );
        observe('tally', viewer, phase, 'tallyUpdated', tally);
        const fund = await firstMessage(
          client,
          `subscription($f: ID!) { fundChanged(fundId: $f) { phase } }`,
          { f: fundId },
          () => void live.pubsub.publish(fundTopic(fundId), { fundId }),
        );
        observe('fund', viewer, phase, 'fundChanged', fund);
      }
    }
  }, 120_000);

  it('CLI exports, jsonl and pb, public and --auditor, on the live store', async () => {
    const runs = await Promise.all(
      (['anonymous', 'auditor'] as const).map(async (viewer) => {
        const flag = viewer === 'auditor' ? ['--auditor'] : [];
        const out = join(dir, `pb-${viewer}`);
        const [jsonl, pb] = await Promise.all([
          cli(['audit', 'export', '--format', 'jsonl', '--sqlite-path', api.sqlitePath, ...flag]),
          cli(['audit', 'export', '--format', 'pb', '--out', out, '--sqlite-path', api.sqlitePath, ...flag]),
        ]);
        expect([jsonl.code, pb.code]).toEqual([0, 0]);
        return { viewer, jsonl: jsonl.stdout, pb: JSON.parse(pb.stdout) };
      }),
    );
    for (const { viewer, jsonl, pb } of runs) {
      const lines: Line[] = jsonl
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      for (const fund of funds) {
        for (const [kind, s] of Object.entries(fromHistory(lines, fund, jsonl)))
          observe(kind as DataKind, viewer, fund.phase, 'export jsonl', s);
        const pot = pb.pots.find((p: { potId: string }) => p.potId === fund.potId);
        if (!pot) continue; // a fund whose voting has not opened has no pabulib file
        const text = pot.file ? readFileSync(pot.file, 'utf8') : '';
        const election = pot.file ? parsePabulib(text) : undefined;
        observe('ballotMarks', viewer, fund.phase, 'export pb', seen(!!election && election.ballots.length > 0));
        observe('results', viewer, fund.phase, 'export pb', seen(pot.selected === true));
        if (election) {
          observe(
            'ballotTimes',
            viewer,
            fund.phase,
            'export pb',
            seen(election.ballots.some((b) => !ON_THE_HOUR.test(String(b.extra?.time)))),
          );
          observe(
            'pseudonyms',
            viewer,
            fund.phase,
            'export pb',
            seen(election.ballots.every((b) => /^[0-9a-f]{64}$/.test(b.voterId ?? ''))),
          );
        }
        observe('voterLinked', viewer, fund.phase, 'export pb', seen(VOTERS.some((v) => text.includes(v))));
      }
    }
  }, 180_000);

  it('CLI replay, the auditor’s tool: tallies and allocations as the auditor may see them', async () => {
    const run = await cli(['audit', 'replay', '--sqlite-path', api.sqlitePath]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    for (const { phase, fundId, potId } of funds) {
      const pot = report.funds.find((f: { fundId: string }) => f.fundId === fundId).pots.find((p: { potId: string }) => p.potId === potId);
      observe('tally', 'auditor', phase, 'replay', seen(typeof pot.ballots === 'number' && Array.isArray(pot.tally)));
      observe('draftAllocation', 'auditor', phase, 'replay', seen(pot.allocation?.lines.length > 0));
    }
  }, 60_000);

  it('/metrics: no per-pot figure while the public may not see tallies (nor after)', async () => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    expect(text).toContain('civic_graphql_operations_total');
    for (const { phase, potId } of funds) {
      if (EMBARGO.tally.anonymous[PHASES.indexOf(phase)] === 'visible') continue;
      observe('tally', 'anonymous', phase, 'metrics', seen(text.includes(potId)));
    }
  });

  it('time travel never lifts the embargo: a published fund’s tally as of its vote is still a running tally, hidden from the public', async () => {
    const published = funds.find((f) => f.phase === 'delivery')!;
    const history: Gql = await api.gql(
      `query($c: String) { auditLog(first: 100, streamCategory: $c) { events { position streamName type } } }`,
      { c: 'fund' },
      tokens.auditor,
    );
    const opened = history.data.auditLog.events.find((e: any) => e.streamName === `fund-${published.fundId}` && e.type === 'VotingOpened');
    const query = `query($p: ID!, $a: String) { tally(potId: $p, asOf: $a) { ballots } }`;
    // Now, the public sees the tally; as of the opening of the vote, it does not.
    expect((await api.gql(query, { p: published.potId })).data.tally.ballots).toBe(3);
    for (const token of [undefined, tokens.resident]) {
      const then = await api.gql(query, { p: published.potId, a: opened.position }, token);
      expect(then.errors?.map((e) => e.extensions.code)).toEqual(['AUTH.FORBIDDEN']);
    }
    expect((await api.gql(query, { p: published.potId, a: opened.position }, tokens.reviewer)).data.tally.ballots).toBe(0);
    // The CLI's --as-of the same position: the public export hides what that phase hid, though the fund is published now.
    const cut = await cli(['audit', 'export', '--format', 'jsonl', '--as-of', opened.position, '--sqlite-path', api.sqlitePath]);
    expect(cut.code).toBe(0);
    const now = await cli(['audit', 'export', '--format', 'jsonl', '--sqlite-path', api.sqlitePath]);
    const ballots = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((e) => e.streamName.startsWith(`ballot-${published.potId}-`));
    expect(ballots(cut.stdout)).toEqual([]);
    expect(ballots(now.stdout).every((e) => typeof e.data.content === 'object')).toBe(true);
  }, 120_000);

  it('every observation agrees with the table, and every cell where the data exists was observed', () => {
    const disagreements = observations
      .filter((o) => exists(o.kind, o.phase))
      .filter((o) => o.seen !== expectedSeen(EMBARGO[o.kind][o.viewer][PHASES.indexOf(o.phase)], o.own ?? false))
      .map(
        (o) =>
          `${o.kind} × ${o.viewer} × ${o.phase} on ${o.path}: ${o.seen}, the table says ${EMBARGO[o.kind][o.viewer][PHASES.indexOf(o.phase)]}`,
      );
    expect(disagreements).toEqual([]);
    const unobserved = DATA_KINDS.filter((k) => k !== 'receiptStanding').flatMap((kind) =>
      VIEWERS.flatMap((viewer) =>
        PHASES.filter((phase) => exists(kind, phase))
          .filter((phase) => !observations.some((o) => o.kind === kind && o.viewer === viewer && o.phase === phase))
          .map((phase) => `${kind} × ${viewer} × ${phase}`),
      ),
    );
    expect(unobserved).toEqual([]);
    // The walk saw both sides: each kind that the table ever hides was seen hidden somewhere, and seen shown.
    for (const kind of ['tally', 'ballotMarks', 'ballotTimes', 'draftAllocation', 'results', 'voterLinked'] as const) {
      const mine = observations.filter((o) => o.kind === kind && exists(kind, o.phase));
      expect(new Set(mine.map((o) => o.seen))).toEqual(new Set(['present', 'absent']));
    }
  });
});
