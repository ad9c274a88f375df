import { Inject } from '@nestjs/common';
import { Args, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { certifiedElection, certifiedPabulib } from '@civic/audit';
import { PlatformReader } from '@civic/application';
import type { EventStore } from '@civic/event-store';
import { Public } from '../auth/roles.decorator';
import { Points } from '../ballots/ballot.types';
import { FundReader } from '../funds/fund.reader';
import { EVENT_STORE } from '../tokens';
import { readPotBallots } from './pot-ballots';
import { publishedPot } from './published-pot';

@ObjectType({ description: 'A counted ballot on the bulletin board: its voter’s receipt hash and its marks; never a pseudonym.' })
export class BoardBallotView {
  @Field({ description: 'The receipt hash of the ballot’s latest marks (what its voter holds).' }) receipt!: string;
  @Field(() => [ID], { nullable: true }) proposalIds?: string[];
  @Field(() => [Points], { nullable: true }) points?: Points[];
  @Field({ description: 'online or paper.' }) channel!: string;
  @Field(() => ID, { nullable: true, description: 'The paper batch a paper ballot was entered from.' }) batchId?: string;
}

@ObjectType()
export class VoidedBallotView {
  @Field({ description: 'The receipt hash of the voided ballot’s latest marks.' }) receipt!: string;
  @Field({ description: 'The public reason of the void.' }) reason!: string;
}

@ObjectType({ description: 'A paper batch and its reconciliation: forms collected against ballots that count.' })
export class PaperBatchReconciliation {
  @Field(() => ID) batchId!: string;
  @Field() location!: string;
  @Field() collectedAt!: string;
  @Field() scanReference!: string;
  @Field(() => Int, { description: 'Forms entered from the batch.' }) entries!: number;
  @Field(() => Int, { description: 'Of which count as the voter’s final ballot.' }) counted!: number;
  @Field(() => Int, { description: 'Corrections made to the batch’s header.' }) corrections!: number;
}

@ObjectType({ description: 'A pot’s public bulletin board, once its results are published.' })
export class BulletinBoard {
  @Field(() => ID) potId!: string;
  @Field(() => [BoardBallotView]) ballots!: BoardBallotView[];
  @Field(() => [VoidedBallotView]) voided!: VoidedBallotView[];
  @Field(() => [PaperBatchReconciliation]) paperBatches!: PaperBatchReconciliation[];
  @Field({
    description: 'The counted ballots as a pabulib file (money in pounds; voter_id = receipt hash), as in the results certificate.',
  })
  pabulib!: string;
  @Field({ description: 'The counted ballots as CSV, one row per mark: receipt,proposal_id,points (1 for a pick).' }) csv!: string;
}

/** The public bulletin board of a published pot. */
@Resolver()
export class BulletinBoardResolver {
  private readonly reader: PlatformReader;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly funds: FundReader,
  ) {
    this.reader = new PlatformReader(store);
  }

  @Public()
  @Query(() => BulletinBoard, {
    description:
      'Every counted ballot of a published pot by receipt hash, the voided ones with reasons, the paper batches. No sign-in needed.',
  })
  async bulletinBoard(@Args('potId', { type: () => ID }) potId: string): Promise<BulletinBoard> {
    const { fund, pot } = await publishedPot(this.reader, this.funds, potId, 'The bulletin board opens');
    const { counted, voided, paperBatches } = await readPotBallots(this.store, potId);
    const accepted = await this.reader.acceptedProposals(fund, potId);
    const election = certifiedElection({
      budget: pot.budget,
      voteType: pot.ballot.kind,
      projects: accepted.map((p) => ({ id: p.proposalId, cost: p.officialCost })),
      ballots: counted,
    });
    const rows = counted.flatMap((b) =>
      b.points ? b.points.map((p) => [b.receipt, p.proposalId, p.points]) : (b.proposalIds ?? []).map((id) => [b.receipt, id, 1]),
    );
    return {
      potId,
      ballots: counted.map((b) => ({
        receipt: b.receipt,
        proposalIds: b.proposalIds ? [...b.proposalIds] : undefined,
        points: b.points?.map((p) => ({ ...p })),
        channel: b.channel,
        batchId: b.batchId,
      })),
      voided,
      paperBatches: paperBatches.map((b) => ({
        batchId: b.batchId,
        location: b.location,
        collectedAt: b.collectedAt,
        scanReference: b.scanReference,
        entries: b.entryCount,
        counted: counted.filter((c) => c.batchId === b.batchId).length,
        corrections: b.corrections,
      })),
      pabulib: certifiedPabulib(election, {
        description: `${pot.name}: the counted ballots; voter_id is each ballot's receipt hash`,
        unit: pot.name,
      }).text,
      csv: ['receipt,proposal_id,points', ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n',
    };
  }
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
