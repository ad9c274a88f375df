import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RunBallotCommand, type BallotReceipt as AppReceipt } from '@civic/application';
import { reject, type BallotCommand, type BallotContent } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import type { RequestContext } from '../auth/access.guard';
import { requireSight } from '../auth/embargo';
import { Public, Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';
import { TimeTravel } from '../time-travel/time-travel';
import { ReceiptFinder } from '../receipts/receipt-finder';
import { EVENT_STORE } from '../tokens';
import type { DeferredReceipt } from './ballot-receipt.resolver';
import { BallotContentInput, BallotReceipt, MyBallot, Tally } from './ballot.types';
import { TallyReader } from './tally.reader';
import { COMMAND_ID } from '../commands/command-id.arg';
import { KioskService } from '../auth/kiosk/kiosk.service';
import { SessionService } from '../auth/session.service';

/** Ballots: a resident's own, while voting is open; tallies as aggregates. */
@Resolver()
export class BallotResolver {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly funds: FundReader,
    private readonly tallies: TallyReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly timeTravel: TimeTravel,
    private readonly receipts: ReceiptFinder,
    private readonly kiosks: KioskService,
    private readonly sessions: SessionService,
  ) {}

  @Roles('resident')
  @Mutation(() => BallotReceipt, {
    nullable: true,
    description: 'Casts your ballot in a pot. Replace it with replaceBallot until voting closes.',
  })
  castBallot(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args('content') content: BallotContentInput,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeferredReceipt> {
    return this.marked('CastBallot', fundId, potId, content, commandId, ctx);
  }

  @Roles('resident')
  @Mutation(() => BallotReceipt, { nullable: true, description: 'Replaces your ballot: the latest one counts.' })
  replaceBallot(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args('content') content: BallotContentInput,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeferredReceipt> {
    return this.marked('ReplaceBallot', fundId, potId, content, commandId, ctx);
  }

  @Roles('resident')
  @Mutation(() => BallotReceipt, { nullable: true, description: 'Withdraws your ballot; you may cast again while voting is open.' })
  withdrawBallot(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeferredReceipt> {
    return this.run('WithdrawBallot', fundId, potId, {}, commandId, ctx);
  }

  @Roles('reviewer', 'councillor')
  @Mutation(() => BallotReceipt, {
    nullable: true,
    description:
      'Voids a fraudulent ballot with a reason. Name the ballot by its receipt or the voter by their register reference (the server derives the pseudonym, so the officer never handles one), or by the pseudonym an auditor sees: one of the three.',
  })
  async voidBallot(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args('pseudonym', { type: () => String, nullable: true }) pseudonym: string | undefined,
    @Args('reference', { type: () => String, nullable: true, description: 'The voter’s register reference, as typed.' })
    reference: string | undefined,
    @Args('receipt', {
      type: () => String,
      nullable: true,
      description: 'A receipt of the ballot (hash or short code): its voter’s current ballot in the pot is voided.',
    })
    receipt: string | undefined,
    @Args('reason') reason: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeferredReceipt> {
    if ([pseudonym, reference, receipt].filter((v) => v != null).length !== 1)
      throw new ApiError('INPUT.INVALID', 'Name the ballot by receipt, reference or pseudonym: one of them.');
    const voter =
      receipt != null
        ? { pseudonym: await this.voterOfReceipt(receipt, fundId, potId) }
        : pseudonym != null
          ? { pseudonym }
          : { reference: reference! };
    return this.run('VoidBallot', fundId, potId, { reason }, commandId, ctx, voter);
  }

  /** The pseudonym of the voter whose ballot a receipt is of, read from its event: only a ballot of this fund and pot. */
  private async voterOfReceipt(receipt: string, fundId: string, potId: string): Promise<string> {
    const found = await this.receipts.ballot(receipt);
    if (!found || found.fundId !== fundId || found.potId !== potId)
      return reject('BALLOT.NOT_FOUND', 'No ballot of this pot has this receipt.');
    return found.voter;
  }

  @Roles('resident')
  @Query(() => MyBallot, { nullable: true, description: 'Your own ballot in a pot, with its receipt; null if you have none.' })
  async myBallot(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Context() ctx: RequestContext,
  ): Promise<MyBallot | null> {
    requireSight(ctx, 'ballotMarks', this.funds.phase(fundId) ?? [], 'You may see only your own ballot.', { own: true });
    const pseudonym = await this.gateway.voterPseudonym(fundId, ctx.principal!);
    const events = await this.store.readStream(`ballot-${potId}-${pseudonym}`);
    const last = events[events.length - 1];
    if (!last) return null;
    const marked = [...events].reverse().find((e) => e.type === 'BallotCast' || e.type === 'BallotReplaced');
    const content = (marked?.data as { content?: BallotContent } | undefined)?.content;
    const status = last.type === 'BallotWithdrawn' ? 'withdrawn' : last.type === 'BallotVoided' ? 'voided' : 'counted';
    return {
      status,
      kind: content?.kind ?? 'none',
      proposalIds: content && content.kind !== 'cumulative' ? [...content.proposalIds] : undefined,
      points: content?.kind === 'cumulative' ? content.points.map((p) => ({ ...p })) : undefined,
      receipt: { position: last.position, hash: chainHash(last.metadata) },
    };
  }

  @Public()
  @Query(() => Tally, { description: 'A pot’s tally, aggregates only: live for staff; for everyone once results are published.' })
  async tally(
    @Args('potId', { type: () => ID }) potId: string,
    @Args('asOf', { type: () => String, nullable: true, description: 'A global position or an ISO time: the answer as it stood then.' })
    asOf: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<Tally> {
    if (asOf != null) this.timeTravel.resolve(asOf); // a bad asOf is refused as such, whatever the pot
    const phase = this.funds.potPhase(potId);
    if (!phase) throw new ApiError('NOT_FOUND', 'There is no such pot.');
    const refusal = 'Tallies are shown to the public once results are published.';
    requireSight(ctx, 'tally', phase, refusal); // before any time travel: "then" never shows more than now
    if (asOf == null) return this.tallies.tally(potId);
    return this.timeTravel.read(asOf, (then) => {
      // As of a past position: the lesser of the phase then (draft if the fund did not exist) and now.
      requireSight(ctx, 'tally', [new FundReader(then).potPhase(potId) ?? 'draft', phase], refusal);
      return new TallyReader(then).tally(potId);
    });
  }

  private content(fundId: string, potId: string, input: BallotContentInput): BallotContent {
    const pot = this.funds.pot(fundId, potId);
    if (!pot) throw new ApiError('NOT_FOUND', 'There is no such pot in this fund.');
    if (pot.ballot.kind === 'cumulative') {
      if (!input.points || input.proposalIds) throw new ApiError('INPUT.INVALID', 'This pot takes points: send points, not proposalIds.');
      return { kind: 'cumulative', points: input.points.map((p) => ({ proposalId: p.proposalId, points: p.points })) };
    }
    if (!input.proposalIds || input.points) throw new ApiError('INPUT.INVALID', 'This pot takes a list of proposalIds.');
    return { kind: pot.ballot.kind, proposalIds: [...input.proposalIds] };
  }

  /**
   * Casts or replaces a ballot. In a kiosk session the kiosk's officer and place go with it, and
   * the session ends once it is recorded: the next resident at the device signs in afresh.
   */
  private async marked(
    type: 'CastBallot' | 'ReplaceBallot',
    fundId: string,
    potId: string,
    input: BallotContentInput,
    commandId: string | undefined,
    ctx: RequestContext,
  ): Promise<DeferredReceipt> {
    const assisted = await this.kiosks.assistedAt(ctx.principal!, fundId);
    const rest = { content: this.content(fundId, potId, input), ...(assisted ? { assisted } : {}) };
    const receipt = await this.run(type, fundId, potId, rest, commandId, ctx);
    if (assisted && ctx.principal!.sessionId) await this.sessions.end(ctx.principal!.sessionId);
    return receipt;
  }

  private async run<T extends BallotCommand['type']>(
    type: T,
    fundId: string,
    potId: string,
    rest: object,
    commandId: string | undefined,
    ctx: RequestContext,
    voter?: { pseudonym: string } | { reference: string },
  ): Promise<DeferredReceipt> {
    const input = await this.gateway.input(ctx.principal!, commandId);
    const payload = { fundId, potId, voter: voter ?? { reference: ctx.principal!.subject }, ...rest };
    const { result: receipt, recorded } = await this.gateway.executeRecorded<AppReceipt>(
      new RunBallotCommand(type, payload as never, input),
    );
    // What the command did not hand back is the event as the read models folded it; read from the
    // store only when it was folded before the wait (a retry that wrote nothing), and only if the query asks.
    const folded = receipt.position === undefined ? undefined : recorded.get(receipt.position);
    const event = once(
      async () =>
        folded ??
        (receipt.revision >= 0
          ? (await this.store.readStream(receipt.streamName, { fromRevision: receipt.revision, maxCount: 1 }))[0]
          : undefined),
    );
    return {
      // Known when the command wrote; a retry that wrote nothing reads it (rare).
      position: receipt.position ?? (await event())?.position,
      hash: async () => {
        const e = await event();
        return e && chainHash(e.metadata);
      },
    };
  }
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}

function chainHash(metadata: Record<string, unknown>): string | undefined {
  const chain = metadata.chain as { hash?: unknown } | undefined;
  return typeof chain?.hash === 'string' ? chain.hash : undefined;
}
