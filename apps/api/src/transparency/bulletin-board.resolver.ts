import { Inject } from '@nestjs/common';
import { Args, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { certifiedElection, certifiedPabulib, parseReceiptCode, publishedBallots } from '@civic/audit';
import { PlatformReader } from '@civic/application';
import type { EventStore } from '@civic/event-store';
import { Public } from '../auth/roles.decorator';
import { ApiError } from '../errors/api-error';
import { BallotPublicationKind } from './ballot-publication.resolver';
import { Points } from '../ballots/ballot.types';
import { FundReader } from '../funds/fund.reader';
import { EVENT_STORE } from '../tokens';
import { readPotBallots } from './pot-ballots';
import { publishedPot } from './published-pot';

@ObjectType({ description: 'A counted ballot on the bulletin board: its voter’s receipt hash and its marks; never a pseudonym.' })
export class BoardBallotView {
  @Field({
    description:
      'Linked: the receipt hash of the ballot’s latest marks (what its voter holds). Unlinked: the ballot’s number on the board (1…n in the order of the marks).',
  })
  receipt!: string;
  @Field(() => [ID], { nullable: true }) proposalIds?: string[];
  @Field(() => [Points], { nullable: true }) points?: Points[];
  @Field({ description: 'online, paper or assisted (at a kiosk).' }) channel!: string;
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
  @Field(() => BallotPublicationKind, { description: 'How the fund publishes its ballots, chosen before voting opened.' })
  publication!: BallotPublicationKind;
  @Field(() => Int, { description: 'Every counted ballot of the pot.' }) ballotCount!: number;
  @Field(() => Int, { description: 'Those the `receipt` search finds (all when there is no search).' }) matching!: number;
  @Field(() => [BoardBallotView], {
    description: 'A page (`first`, `offset`) of the counted ballots, by receipt hash (linked) or number (unlinked).',
  })
  ballots!: BoardBallotView[];
  @Field(() => [String], {
    description:
      'Unlinked only: a page (`first`, `offset`) of the counted receipt hashes, sorted, apart from the marks (empty when linked: the ballots carry them).',
  })
  countedReceipts!: string[];
  @Field(() => [VoidedBallotView]) voided!: VoidedBallotView[];
  @Field(() => [PaperBatchReconciliation]) paperBatches!: PaperBatchReconciliation[];
  @Field({
    description: 'The counted ballots as a pabulib file (money in pounds; voter_id = receipt hash), as in the results certificate.',
  })
  pabulib!: string;
  @Field({
    description:
      'The counted ballots as CSV, one row per mark: receipt,proposal_id,points (1 for a pick); unlinked, receipt is the ballot’s number.',
  })
  csv!: string;
  @Field({ description: 'The counted receipt hashes as CSV, one a line, sorted (what a voter looks their receipt up in).' })
  receiptsCsv!: string;
}

/** The largest page of the bulletin board. */
export const MAX_BOARD_PAGE = 100;

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
      'Every counted ballot of a published pot by receipt hash (or, unlinked, receipts and marks apart), the voided ones with reasons, the paper batches. No sign-in needed.',
  })
  async bulletinBoard(
    @Args('potId', { type: () => ID }) potId: string,
    @Args('first', {
      type: () => Int,
      nullable: true,
      description: `How many ballots (and, unlinked, receipts) from offset; ${MAX_BOARD_PAGE} when absent. At most ${MAX_BOARD_PAGE}.`,
    })
    first: number | undefined,
    @Args('offset', { type: () => Int, nullable: true }) offset: number | undefined,
    @Args('receipt', {
      type: () => String,
      nullable: true,
      description: 'A receipt’s short code, its hash, or the first 8 or more hex digits of it.',
    })
    receipt: string | undefined,
  ): Promise<BulletinBoard> {
    if (first != null && (first < 1 || first > MAX_BOARD_PAGE))
      throw new ApiError('INPUT.INVALID', `first must be between 1 and ${MAX_BOARD_PAGE}.`);
    if (offset != null && offset < 0) throw new ApiError('INPUT.INVALID', 'offset must not be negative.');
    const prefix = receipt == null ? undefined : receiptPrefix(receipt);
    const { fund, pot } = await publishedPot(this.reader, this.funds, potId, 'The bulletin board opens');
    const publication = fund.publication ?? 'linked';
    const { counted, voided, paperBatches } = await readPotBallots(this.store, potId);
    const accepted = await this.reader.acceptedProposals(fund, potId);
    const source = new Map(counted.map((b) => [b.receipt, b]));
    const { ballots, countedReceipts = [] } = publishedBallots(counted, publication);
    const found = (list: string[]) => (prefix === undefined ? list : list.filter((r) => r.startsWith(prefix)));
    const page = <T>(list: T[]) => list.slice(offset ?? 0, (offset ?? 0) + (first ?? MAX_BOARD_PAGE));
    const linked = publication === 'linked';
    const shown = linked ? ballots.filter((b) => found([b.receipt]).length > 0) : ballots;
    return {
      potId,
      publication: publication as BallotPublicationKind,
      ballotCount: counted.length,
      matching: linked ? shown.length : found(countedReceipts).length,
      ballots: page(shown).map((b) => ({
        receipt: b.receipt,
        proposalIds: b.proposalIds ? [...b.proposalIds] : undefined,
        points: b.points?.map((p) => ({ ...p })),
        // Unlinked, where a ballot came from would point back to its receipt: online and paper are not told apart.
        channel: linked ? source.get(b.receipt)!.channel : 'counted',
        batchId: linked ? source.get(b.receipt)!.batchId : undefined,
      })),
      countedReceipts: linked ? [] : page(found(countedReceipts)),
      // A search finds a voided receipt too (its voter learns why it does not count).
      voided: prefix === undefined ? voided : voided.filter((v) => v.receipt.startsWith(prefix)),
      paperBatches: paperBatches.map((b) => ({
        batchId: b.batchId,
        location: b.location,
        collectedAt: b.collectedAt,
        scanReference: b.scanReference,
        entries: b.entryCount,
        counted: counted.filter((c) => c.batchId === b.batchId).length,
        corrections: b.corrections,
      })),
      // Built only when asked for: a page of the board needs neither file.
      get pabulib() {
        const election = certifiedElection({
          budget: pot.budget,
          voteType: pot.ballot.kind,
          projects: accepted.map((p) => ({ id: p.proposalId, cost: p.officialCost })),
          ballots,
        });
        return certifiedPabulib(election, {
          description: linked
            ? `${pot.name}: the counted ballots; voter_id is each ballot's receipt hash`
            : `${pot.name}: the counted ballots, numbered in the order of their marks (unlinked from the receipts)`,
          unit: pot.name,
        }).text;
      },
      get csv() {
        const rows = ballots.flatMap((b) =>
          b.points ? b.points.map((p) => [b.receipt, p.proposalId, p.points]) : (b.proposalIds ?? []).map((id) => [b.receipt, id, 1]),
        );
        return ['receipt,proposal_id,points', ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
      },
      get receiptsCsv() {
        return ['receipt', ...counted.map((b) => b.receipt).sort()].join('\n') + '\n';
      },
    };
  }
}

/** A receipt as typed: a short code (its 80-bit prefix), a whole hash, or 8 hex digits or more of one. */
function receiptPrefix(typed: string): string {
  const text = typed.trim().toLowerCase();
  if (/^[0-9a-f]{64}$/.test(text)) return text;
  const code = parseReceiptCode(typed);
  if (code) return code.toString('hex');
  if (/^[0-9a-f]{8,63}$/.test(text)) return text;
  throw new ApiError('INPUT.INVALID', 'receipt is not a receipt code or hash.');
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
