import { randomUUID } from 'node:crypto';
import { Args, Context, Field, GraphQLISODateTime, ID, InputType, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { EnterPaperBatchCommand, type EnterPaperBatchResult } from '@civic/application';
import type { BallotContent } from '@civic/domain';
import type { RequestContext } from '../auth/access.guard';
import { Roles } from '../auth/roles.decorator';
import { BallotContentInput } from '../ballots/ballot.types';
import { CommandGateway } from '../commands/command-gateway';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';

export const MAX_PAPER_ENTRIES = 500;

@InputType({ description: 'One paper ballot as typed from its form.' })
export class PaperEntryInput {
  @Field({ description: 'The voter’s reference, as written on the form.' }) reference!: string;
  @Field(() => BallotContentInput) content!: BallotContentInput;
}

@InputType({ description: 'A batch of paper ballots collected at a library, community centre or event.' })
export class PaperBatchInput {
  @Field(() => ID, { nullable: true, description: 'Chosen by the server when absent.' }) batchId?: string;
  @Field(() => ID) fundId!: string;
  @Field(() => ID) potId!: string;
  @Field({ description: 'The officer who collected the ballots.' }) officer!: string;
  @Field() location!: string;
  @Field(() => GraphQLISODateTime) collectedAt!: Date;
  @Field({ description: 'Where the scanned forms are kept.' }) scanReference!: string;
  @Field(() => [PaperEntryInput]) entries!: PaperEntryInput[];
}

@ObjectType()
export class PaperEntryOutcome {
  @Field(() => Int) entryNo!: number;
  @Field() recorded!: boolean;
  @Field({ nullable: true }) code?: string;
  @Field({ nullable: true }) message?: string;
}

@ObjectType({ description: 'The batch, and what became of each entry: recorded, or refused with the code an online ballot would get.' })
export class PaperBatchResult {
  @Field(() => ID) batchId!: string;
  @Field(() => [PaperEntryOutcome]) entries!: PaperEntryOutcome[];
}

/** Paper ballots, entered by hand by reviewers, under the same rules as online ones. */
@Resolver()
export class PaperBatchResolver {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly funds: FundReader,
  ) {}

  @Roles('reviewer', 'councillor')
  @Mutation(() => PaperBatchResult, {
    description: 'Records a batch of paper ballots and each of its entries. Re-sending the same commandId records only what was missing.',
  })
  async enterPaperBatch(
    @Args('input') input: PaperBatchInput,
    @Args('commandId', { type: () => ID, nullable: true }) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<PaperBatchResult> {
    if (input.entries.length === 0 || input.entries.length > MAX_PAPER_ENTRIES)
      throw new ApiError('INPUT.INVALID', `A batch holds 1 to ${MAX_PAPER_ENTRIES} entries.`);
    const pot = this.funds.get(input.fundId)?.pots.find((p) => p.id === input.potId);
    if (!pot) throw new ApiError('NOT_FOUND', 'There is no such pot in this fund.');
    const batchId = input.batchId ?? randomUUID();
    const entries = input.entries.map((e) => ({ reference: e.reference, content: toContent(pot.ballot.kind, e.content) }));
    const batch = {
      batchId,
      fundId: input.fundId,
      potId: input.potId,
      officer: input.officer,
      location: input.location,
      collectedAt: input.collectedAt.toISOString(),
      scanReference: input.scanReference,
    };
    const result = await this.gateway.execute<EnterPaperBatchResult>(
      new EnterPaperBatchCommand(batch, entries, await this.gateway.input(ctx.principal!, commandId)),
    );
    return {
      batchId,
      entries: result.entries.map((e) =>
        e.ok ? { entryNo: e.entryNo, recorded: true } : { entryNo: e.entryNo, recorded: false, code: e.code, message: e.message },
      ),
    };
  }
}

function toContent(kind: string, input: BallotContentInput): BallotContent {
  if (kind === 'cumulative')
    return { kind: 'cumulative', points: (input.points ?? []).map((p) => ({ proposalId: p.proposalId, points: p.points })) };
  return { kind: kind as 'approval' | 'knapsack', proposalIds: [...(input.proposalIds ?? [])] };
}
