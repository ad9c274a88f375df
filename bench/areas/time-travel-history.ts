import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@civic/event-store-sqlite';

const WARDS = 20;
const PROPOSALS_PER_POT = 12;

/**
 * Writes a history of `count` events as the API would have stored them (the same types, data
 * and metadata, in the domain's streams), but as raw rows in big transactions: funds of 21
 * pots (borough-wide and one per ward), proposals submitted and accepted, voting opened, then
 * ballots (approval, three picks), one in seven replacing an earlier ballot and one in fifty
 * withdrawing one, and each fund closed and published before the next begins. Events are
 * recorded a millisecond apart from `start`, so times can be asked as well as positions.
 */
export function buildVotingHistory(
  path: string,
  count: number,
  funds = Math.max(1, Math.round(count / 250_000)),
  options: { residents?: number } = {},
): void {
  new SqliteEventStore({ path }).close();
  const db = new Database(path);
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream_name, stream_category, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const flush = db.transaction((rows: unknown[][]) => {
    for (const r of rows) insert.run(...r);
  });
  const revisions = new Map<string, number>();
  const start = Date.parse('2026-01-01T00:00:00Z');
  let written = 0;
  let pending: unknown[][] = [];
  const write = (stream: string, type: string, data: object, role: string) => {
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    const time = new Date(start + written).toISOString();
    const commandId = randomUUID();
    const metadata = { commandId, actorRole: role, actorId: `${role}-1`, correlationId: commandId, causationId: commandId, time };
    pending.push([randomUUID(), stream, stream.split('-')[0], revision, type, JSON.stringify(data), JSON.stringify(metadata), time]);
    written++;
    if (pending.length >= 20_000) {
      flush(pending);
      pending = [];
    }
  };
  // The register first, as a city's history holds it: each resident registered from the
  // register's import, in a ward, their personal data sealed (a ciphertext of the real size).
  for (let r = 0; r < (options.residents ?? 0) && written < count; r++) {
    const residentId = createHash('sha256').update(`resident/${r}`).digest('hex');
    const personal = { ciphertext: randomBytes(57).toString('base64'), keyId: residentId };
    const ward = `Ward ${String(1 + (r % WARDS)).padStart(2, '0')}`;
    write(`resident-${residentId}`, 'ResidentRegistered', { personal, residentId, source: 'register', ward }, 'administrator');
  }
  const perFund = Math.ceil((count - written) / funds);
  for (let f = 0; f < funds && written < count; f++) {
    const fundId = randomUUID();
    const fundStream = `fund-${fundId}`;
    const until = Math.min(count, written + perFund) - 2; // room for the close and the results
    const schedule = {
      proposalsOpenAt: '2026-01-01T00:00:00.000Z',
      reviewStartsAt: '2026-02-01T00:00:00.000Z',
      votingOpensAt: '2026-03-01T00:00:00.000Z',
      votingClosesAt: '2026-04-01T00:00:00.000Z',
    };
    write(
      fundStream,
      'FundCreated',
      { fundId, name: `Fund ${f}`, description: 'A bench fund', currency: 'GBP', schedule, minimumAge: 16 },
      'administrator',
    );
    const pots = Array.from({ length: WARDS + 1 }, (_, w) => ({
      potId: randomUUID(),
      name: w === 0 ? 'Borough-wide' : `Ward ${w}`,
      scope: w === 0 ? { kind: 'borough' } : { kind: 'ward', ward: `ward-${w}` },
      budget: 5_000_000,
      ballot: { kind: 'approval', min: 1, max: 3 },
      rule: 'greedy',
      tieBreak: { kind: 'submission_order' },
    }));
    for (const pot of pots) write(fundStream, 'PotAdded', { fundId, pot }, 'administrator');
    write(fundStream, 'ProposalsOpened', { fundId }, 'administrator');
    const proposals = pots.map((pot) =>
      Array.from({ length: PROPOSALS_PER_POT }, (_, k) => {
        const proposalId = randomUUID();
        write(
          `proposal-${proposalId}`,
          'ProposalSubmitted',
          {
            proposalId,
            fundId,
            potId: pot.potId,
            authorId: randomUUID(),
            title: `Proposal ${k} for ${pot.name}`,
            summary: 'Benches, trees and a new path by the canal',
            description: 'A longer description of what the money would pay for, where, and who it helps.',
            category: 'parks',
            estimatedCost: 100_000 + k * 10_000,
          },
          'resident',
        );
        return proposalId;
      }),
    );
    write(fundStream, 'ReviewStarted', { fundId }, 'administrator');
    for (const list of proposals)
      for (const proposalId of list) write(`proposal-${proposalId}`, 'ProposalAccepted', { proposalId, officialCost: 120_000 }, 'reviewer');
    write(fundStream, 'VotingOpened', { fundId, pots }, 'administrator');
    const voters: string[] = [];
    for (let n = 0; written < until; n++) {
      const replace = n % 7 === 3 && voters.length > 100;
      const withdraw = n % 50 === 17 && voters.length > 100;
      const voter = replace || withdraw ? voters[voters.length - 1 - (n % 97)] : createHash('sha256').update(`${f}/${n}`).digest('hex');
      if (!replace && !withdraw) voters.push(voter);
      const p = parseInt(voter.slice(0, 6), 16) % pots.length;
      const list = proposals[p];
      const stream = `ballot-${pots[p].potId}-${voter}`;
      const ref = { fundId, potId: pots[p].potId, voter };
      if (withdraw) {
        if ((revisions.get(stream) ?? -1) >= 0) write(stream, 'BallotWithdrawn', ref, 'resident');
        continue;
      }
      const content = {
        kind: 'approval',
        proposalIds: [list[n % list.length], list[(n * 7 + 1) % list.length], list[(n * 13 + 2) % list.length]],
      };
      const unique = { ...content, proposalIds: [...new Set(content.proposalIds)] };
      write(
        stream,
        (revisions.get(stream) ?? -1) >= 0 ? 'BallotReplaced' : 'BallotCast',
        { ...ref, content: unique, source: { channel: 'online' } },
        'resident',
      );
    }
    write(fundStream, 'VotingClosed', { fundId }, 'administrator');
    write(fundStream, 'ResultsPublished', { fundId }, 'administrator');
  }
  flush(pending);
  db.close();
}
