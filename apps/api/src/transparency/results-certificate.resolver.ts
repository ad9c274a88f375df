import { Inject } from '@nestjs/common';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import {
  buildResultsCertificate,
  certificateFile,
  CHECKPOINT_STREAM,
  parseCheckpoint,
  publishCheckpoint,
  type PublishedCheckpoint,
  type SigningKey,
} from '@civic/audit';
import { PlatformReader, allocateOptions } from '@civic/application';
import { streams } from '@civic/domain';
import type { EventStore, JsonObject } from '@civic/event-store';
import type { AuditTrail } from '../audit-log/audit-trail';
import { Public } from '../auth/roles.decorator';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';
import { AUDIT_KEY, AUDIT_TRAIL, EVENT_STORE } from '../tokens';
import { version } from '../../../../package.json';
import { readPotBallots } from './pot-ballots';
import { publishedPot } from './published-pot';

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
    const { fund, pot, allocation } = await publishedPot(this.reader, this.funds, potId, 'A results certificate is issued');
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
        tieBreak: pot.tieBreak.kind === 'number' ? { kind: 'number', order: allocateOptions(pot, accepted).order ?? [] } : pot.tieBreak,
        projects: accepted.map((p) => ({ id: p.proposalId, cost: p.officialCost })),
        ballots: (await readPotBallots(this.store, potId)).counted.map(({ receipt, proposalIds, points }) => ({
          receipt,
          proposalIds,
          points,
        })),
        publication: fund.publication ?? 'linked',
        recorded: { ruleVersion: allocation.ruleVersion, lines, inputDigest: allocation.inputDigest },
        overrides: overrides.map((e) => e.data as { proposalId: string; funded: boolean; amount: number; reason: string }),
        checkpoint: await this.covering(recorded.position),
        software: { name: 'civic-ledger', version },
      },
      this.key,
    );
    return certificateFile(signed);
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
