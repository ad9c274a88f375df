import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RunBallotCommand, type BallotReceipt as AppReceipt } from '@civic/application';
import type { BallotCommand, BallotContent } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import type { RequestContext } from '../auth/access.guard';
import { Public, Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';
import { TimeTravel } from '../time-travel/time-travel';
import { EVENT_STORE } from '../tokens';
import type { DeferredReceipt } from './ballot-receipt.resolver';
import { BallotContentInput, BallotReceipt, MyBallot, Tally } from './ballot.types';
import { TallyReader } from './tally.reader';
import { COMMAND_ID } from '../commands/command-id.arg';

const STAFF = ['reviewer', 'councillor', 'administrator', 'auditor'] as const;
const RESULTS_OUT = ['results_published', 'delivery', 'closed'];

/** Ballots: a resident's own, while voting is open; tallies as aggregates. */
@Resolver()
export class BallotResolver {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly funds: FundReader,
    private readonly tallies: TallyReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly timeTravel: TimeTravel,
  ) {}

  @Roles('resident')
  @Mutation(() => BallotReceipt, { description: 'Casts your ballot in a pot. Replace it with replaceBallot until voting closes.' })
  castBallot(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args('content') content: BallotContentInput,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeferredReceipt> {
    return this.run('CastBallot', fundId, potId, { content: this.content(fundId, potId, content) }, commandId, ctx);
  }

  @Roles('resident')
  @Mutation(() => BallotReceipt, { description: 'Replaces your ballot: the latest one counts.' })
  replaceBallot(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args('content') content: BallotContentInput,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeferredReceipt> {
    return this.run('ReplaceBallot', fundId, potId, { content: this.content(fundId, potId, content) }, commandId, ctx);
  }

  @Roles('resident')
  @Mutation(() => BallotReceipt, { description: 'Withdraws your ballot; you may cast again while voting is open.' })
  withdrawBallot(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeferredReceipt> {
    return this.run('WithdrawBallot', fundId, potId, {}, commandId, ctx);
  }

  @Roles('reviewer', 'councillor')
  @Mutation(() => BallotReceipt, { description: 'Voids a fraudulent ballot, named by its pseudonym, with a reason.' })
  voidBallot(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args('pseudonym') pseudonym: string,
    @Args('reason') reason: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeferredReceipt> {
    return this.run('VoidBallot', fundId, potId, { reason }, commandId, ctx, { pseudonym });
  }

  @Roles('resident')
  @Query(() => MyBallot, { nullable: true, description: 'Your own ballot in a pot, with its receipt; null if you have none.' })
  async myBallot(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Context() ctx: RequestContext,
  ): Promise<MyBallot | null> {
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
    const fund = this.funds.byPot(potId);
    if (!fund) throw new ApiError('NOT_FOUND', 'There is no such pot.');
    const staff = ctx.principal && (STAFF as readonly string[]).includes(ctx.principal.role);
    if (!staff && !RESULTS_OUT.includes(fund.phase))
      throw new ApiError('AUTH.FORBIDDEN', 'Tallies are shown to the public once results are published.');
    return asOf === undefined ? this.tallies.tally(potId) : new TallyReader(await this.timeTravel.at(asOf)).tally(potId);
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

  private async run<T extends BallotCommand['type']>(
    type: T,
    fundId: string,
    potId: string,
    rest: object,
    commandId: string | undefined,
    ctx: RequestContext,
    voter?: { pseudonym: string },
  ): Promise<DeferredReceipt> {
    const input = await this.gateway.input(ctx.principal!, commandId);
    const payload = { fundId, potId, voter: voter ?? { reference: ctx.principal!.subject }, ...rest };
    const receipt = await this.gateway.execute<AppReceipt>(new RunBallotCommand(type, payload as never, input));
    // What the command did not hand back is read from the event, and only if the query asks for it.
    const event = once(async () =>
      receipt.revision >= 0
        ? (await this.store.readStream(receipt.streamName, { fromRevision: receipt.revision, maxCount: 1 }))[0]
        : undefined,
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
