import type { RecordedEvent } from '@civic/event-store';
import { batchFolder, ReadModelDatabase } from '@civic/projections';
import { TIME_TRAVEL_PROJECTIONS } from '@civic/read-models';
import { ProposalReader } from './proposal.reader';
import { ProposalOrder } from './proposal.types';

let position = 0;
const event = (type: string, streamName: string, data: Record<string, unknown>, revision = 0) =>
  ({
    id: `e${++position}`,
    type,
    data,
    metadata: {},
    streamName,
    revision,
    position: String(position),
    recordedAt: '2026-01-01T00:00:00.000Z',
  }) as RecordedEvent;
const submitted = (id: string, potId = 'pot-a') =>
  event('ProposalSubmitted', `proposal-${id}`, {
    proposalId: id,
    fundId: 'f',
    potId,
    authorId: 'a',
    title: `Project ${id}`,
    summary: 'S',
    description: 'D',
    category: 'c',
    estimatedCost: 1000,
  });
const accepted = (id: string, number: number) =>
  event('ProposalAccepted', `proposal-${id}`, { proposalId: id, fundId: 'f', officialCost: 1000, number }, 1);
const ballot = (voter: string) =>
  event('BallotCast', `ballot-pot-a-${voter}`, {
    fundId: 'f',
    potId: 'pot-a',
    voter,
    content: { kind: 'approval', proposalIds: ['p1'] },
    source: { channel: 'online' },
  });

describe(ProposalReader.name, () => {
  let readModels: ReadModelDatabase;
  let fold: (events: readonly RecordedEvent[]) => void;
  let sut: ProposalReader;
  const byNumber = (first = 50, after?: string) => sut.page({ fundId: 'f', potId: 'pot-a', order: ProposalOrder.number }, first, after);
  const numbers = (page: ReturnType<typeof byNumber>) => page.edges.map((e) => `${e.node.id}:${e.node.number ?? '-'}`);

  beforeEach(() => {
    readModels = ReadModelDatabase.open(':memory:', TIME_TRAVEL_PROJECTIONS);
    fold = batchFolder(readModels);
    sut = new ProposalReader(readModels);
  });
  afterEach(() => readModels.close());

  it('orders a pot’s proposals by number, numbered ones first, then in order of submission, a page at a time', () => {
    fold([submitted('p1'), submitted('p2'), submitted('p3'), submitted('p4'), submitted('x1', 'pot-b')]);
    fold([accepted('p3', 1), accepted('p1', 2)]);
    const page = byNumber(3);
    expect(numbers(page)).toEqual(['p3:1', 'p1:2', 'p2:-']);
    expect(page).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    const rest = byNumber(3, page.pageInfo.endCursor);
    expect(numbers(rest)).toEqual(['p4:-']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('keeps a page while folded batches reach neither proposals nor funds, and reads it again once one does', () => {
    fold([submitted('p1'), submitted('p2')]);
    const first = byNumber();
    fold([ballot('v1'), ballot('v2')]); // a vote's batches: the proposals stand
    expect(byNumber()).toBe(first);
    fold([accepted('p2', 1)]);
    const moved = byNumber();
    expect(moved).not.toBe(first);
    expect(numbers(moved)).toEqual(['p2:1', 'p1:-']);
    expect(moved).toEqual(new ProposalReader(readModels).page({ fundId: 'f', potId: 'pot-a', order: ProposalOrder.number }, 50));
  });

  it('keeps pages apart by what was asked', () => {
    fold([submitted('p1'), submitted('p2'), submitted('x1', 'pot-b')]);
    expect(byNumber(1)).not.toBe(byNumber(2));
    expect(numbers(byNumber(1))).toEqual(['p1:-']);
    expect(sut.page({ fundId: 'f', potId: 'pot-b' }, 50).edges.map((e) => e.node.id)).toEqual(['x1']);
  });
});
