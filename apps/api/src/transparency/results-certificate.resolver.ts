import { Inject } from '@nestjs/common';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import {
  buildResultsCertificate,
  certificateFile,
  CHECKPOINT_STREAM,
  parseCheckpoint,
  publishCheckpoint,
  splitChain,
  type CertifiedBallot,
  type PublishedCheckpoint,
  type SigningKey,
} from '@civic/audit';
import { PlatformReader, readCategories, toDomainEvent } from '@civic/application';
import { ballotDecider, streams, type BallotEvent, type BallotState } from '@civic/domain';
import type { EventStore, JsonObject } from '@civic/event-store';
import type { AuditTrail } from '../audit-log/audit-trail';
import { Public } from '../auth/roles.decorator';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';
import { AUDIT_KEY, AUDIT_TRAIL, EVENT_STORE } from '../tokens';
import { version } from '../../../../package.json';

const PUBLISHED = ['results_published', 'delivery', 'closed'];

/** The signed results certificate of a published pot: one canonical JSON file anyone can re-run offline. */
@Resolver()
export class ResultsCertificateResolver {
  private readonly reader: PlatformReader;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_TRAIL) private readonly trail: AuditTrail,
    @Inject(AUDIT_KEY) private readonly key: SigningKey,
    private readonly funds: FundReader,
  ) {
    this.reader = new PlatformReader(store);
  }

  @Public()
  @Query(() => String, {
    description:
      'The signed results certificate of a pot whose results are published (RFC 8785 JSON): verify it with `audit certificate verify FILE --public-key …`.',
  })
  async resultsCertificate(@Args('potId', { type: () => ID }) potId: string): Promise<string> {
    const listed = this.funds.byPot(potId);
    if (!listed) throw new ApiError('NOT_FOUND', 'There is no such pot.');
    const fund = await this.reader.fund(listed.id);
    const allocation = await this.reader.allocation(potId);
    if (!PUBLISHED.includes(fund.status) || allocation.status !== 'published')
      throw new ApiError('AUTH.FORBIDDEN', 'A results certificate is issued once the pot’s results are published.');
    const pot = fund.pots.find((p) => p.potId === potId)!;
    const events = await this.store.readStream(streams.allocation(potId));
    const recorded = [...events].reverse().find((e) => e.type === 'AllocationRecorded')!;
    const overrides = events.filter((e) => e.type === 'AllocationLineOverridden' && e.revision > recorded.revision);
    const lines = (recorded.data as { lines: { proposalId: string; funded: boolean; amount: number }[] }).lines;
    const accepted = await this.reader.acceptedProposals(fund, potId);
    const signed = buildResultsCertificate(
      {
        fundId: fund.fundId,
        potId,
        potName: pot.name,
        budget: pot.budget,
        ballotType: pot.ballot as unknown as JsonObject & { kind: string },
        ruleKey: allocation.rule,
        tieBreak: pot.tieBreak,
        projects: accepted.map((p) => ({ id: p.proposalId, cost: p.officialCost })),
        ballots: await this.countedBallots(potId),
        recorded: { ruleVersion: allocation.ruleVersion, lines, inputDigest: allocation.inputDigest },
        overrides: overrides.map((e) => e.data as { proposalId: string; funded: boolean; amount: number; reason: string }),
        checkpoint: await this.covering(recorded.position),
        software: { name: 'civic-ledger', version },
      },
      this.key,
    );
    return certificateFile(signed);
  }

  /** The counted ballots of a pot, each under the receipt hash of its latest cast or replacement. */
  private async countedBallots(potId: string): Promise<CertifiedBallot[]> {
    const states = new Map<string, BallotState>();
    const receipts = new Map<string, string>();
    for await (const e of readCategories(this.store, ['ballot'])) {
      states.set(
        e.streamName,
        ballotDecider.evolve(states.get(e.streamName) ?? ballotDecider.initialState(), toDomainEvent<BallotEvent>(e)),
      );
      const hash = splitChain(e.metadata).link?.hash;
      if ((e.type === 'BallotCast' || e.type === 'BallotReplaced') && hash) receipts.set(e.streamName, hash);
    }
    return [...states.entries()].flatMap(([stream, s]) =>
      s.status === 'cast' && s.potId === potId
        ? [
            {
              receipt: receipts.get(stream)!,
              ...(s.content.kind === 'cumulative' ? { points: s.content.points } : { proposalIds: s.content.proposalIds }),
            },
          ]
        : [],
    );
  }

  /** The first signed checkpoint covering the recorded allocation (so every ballot it counted). */
  private async covering(position: string): Promise<PublishedCheckpoint> {
    const leaf = this.trail.index.byPosition(position);
    if (leaf) {
      for (let from = 0; ; from += 100) {
        const page = await this.store.readStream(CHECKPOINT_STREAM, { fromRevision: from, maxCount: 100 });
        for (const e of page) {
          const data = parseCheckpoint(e.data);
          if (typeof data === 'object' && data.eventCount > leaf.index) return publishCheckpoint(data, e);
        }
        if (page.length < 100) break;
      }
    }
    throw new ApiError('UNAVAILABLE', 'No signed checkpoint covers the allocation yet: try again in a minute.');
  }
}
