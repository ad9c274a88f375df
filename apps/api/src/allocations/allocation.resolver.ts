import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import {
  CommandRuntime,
  ComputeAllocationCommand,
  GetPotResultsQuery,
  RunAllocationCommand,
  type CommandResult,
  type CouncillorAllocationCommand,
  type PotResults,
} from '@civic/application';
import type { RequestContext } from '../auth/access.guard';
import { requireSight, sight } from '../auth/embargo';
import { Public, Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { requireIds } from '../errors/input';
import type { AllocationLine } from '@civic/domain';
import { FundReader } from '../funds/fund.reader';
import { ProposalReader } from '../proposals/proposal.reader';
import { AllocationView, type AllocationLineView, type MesExplanationView } from './allocation.types';
import { COMMAND_ID } from '../commands/command-id.arg';

/** Allocations: computed after voting closes, ratified and published by a councillor; hidden until then. */
@Resolver()
export class AllocationResolver {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly queries: QueryBus,
    private readonly runtime: CommandRuntime,
    private readonly funds: FundReader,
    private readonly proposals: ProposalReader,
  ) {}

  private readonly lineView = (line: AllocationLine) => lineView(line, (id) => this.proposals.get(id));

  @Public()
  @Query(() => AllocationView, {
    description:
      'A pot’s published results, with each proposal’s reason; status "hidden" until the embargo lifts (the fund’s results are published).',
  })
  async results(@Args('potId', { type: () => ID }) potId: string, @Context() ctx: RequestContext): Promise<AllocationView> {
    if (sight(ctx, 'results', this.funds.byPot(potId)?.phase ?? []) !== 'visible') return { potId, status: 'hidden', lines: [] };
    const results = await this.queries.execute<GetPotResultsQuery, PotResults>(new GetPotResultsQuery(potId));
    if (results.status === 'hidden') return { potId, status: 'hidden', lines: [] };
    return { potId, ...results, lines: results.lines.map(this.lineView) };
  }

  @Public()
  @Query(() => AllocationView, {
    description:
      'The allocation as recorded, overridden and ratified: for the councillors who ratify it, the administrator and the auditor; for everyone once the fund’s results are published.',
  })
  async draftAllocation(@Args('potId', { type: () => ID }) potId: string, @Context() ctx: RequestContext): Promise<AllocationView> {
    requireSight(ctx, 'draftAllocation', this.funds.byPot(potId)?.phase ?? [], 'The allocation is shown once results are published.');
    return this.allocationView(potId);
  }

  private async allocationView(potId: string): Promise<AllocationView> {
    const state = await this.runtime.reader.allocation(potId);
    if (state.status === 'none') return { potId, status: 'none', lines: [] };
    const { rule, ruleVersion, inputDigest, ballotCount, budget, totalCost, lines } = state;
    return {
      potId,
      status: state.status,
      rule,
      ruleVersion,
      inputDigest,
      ballotCount,
      budget,
      totalCost,
      lines: lines.map(this.lineView),
    };
  }

  @Roles('administrator')
  @Mutation(() => AllocationView, {
    nullable: true,
    description: 'Computes the pot’s allocation with its rule from the ballots as they stand (after voting closes).',
  })
  async computeAllocation(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<AllocationView> {
    requireIds({ fundId, potId });
    await this.gateway.execute<CommandResult>(
      new ComputeAllocationCommand(fundId, potId, await this.gateway.input(ctx.principal!, commandId)),
    );
    return this.allocationView(potId);
  }

  @Roles('councillor')
  @Mutation(() => AllocationView, {
    nullable: true,
    description: 'Changes one line of the recorded allocation, with a reason; never beyond the budget.',
  })
  overrideAllocationLine(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args('proposalId', { type: () => ID }) proposalId: string,
    @Args('funded') funded: boolean,
    @Args('reason') reason: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<AllocationView> {
    return this.run('OverrideAllocationLine', { fundId, potId, proposalId, funded, reason }, commandId, ctx);
  }

  @Roles('councillor')
  @Mutation(() => AllocationView, { nullable: true })
  ratifyAllocation(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<AllocationView> {
    return this.run('RatifyAllocation', { fundId, potId }, commandId, ctx);
  }

  @Roles('councillor')
  @Mutation(() => AllocationView, { nullable: true, description: 'Makes the ratified allocation public.' })
  publishAllocation(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<AllocationView> {
    return this.run('PublishAllocation', { fundId, potId }, commandId, ctx);
  }

  private async run(
    type: CouncillorAllocationCommand['type'],
    payload: CouncillorAllocationCommand['payload'],
    commandId: string | undefined,
    ctx: RequestContext,
  ): Promise<AllocationView> {
    requireIds({ fundId: payload.fundId, potId: payload.potId, ...('proposalId' in payload ? { proposalId: payload.proposalId } : {}) });
    await this.gateway.execute<CommandResult>(
      new RunAllocationCommand<CouncillorAllocationCommand>(type, payload, await this.gateway.input(ctx.principal!, commandId)),
    );
    return this.allocationView(payload.potId);
  }
}

/** Pounds as written in English, from exact pence: "£25,000.00". */
const POUNDS = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
export const inPounds = (pence: number): string => POUNDS.format(pence / 100);

type Named = { readonly title: string; readonly number?: number | null } | undefined;

/**
 * A recorded line as the schema shows it: the proposal's title and number beside its id, the
 * amount also in pounds, whether a councillor overrode it, and every other proposal its
 * explanation mentions named by title and number too (the explanation's read-only lists copied).
 */
function lineView(line: AllocationLine, proposal: (id: string) => Named): AllocationLineView {
  const { explanation, overridden, ...rest } = line;
  const own = proposal(line.proposalId);
  const base = {
    ...rest,
    title: own?.title ?? '',
    number: own?.number ?? undefined,
    amountInPounds: inPounds(line.amount),
    overridden: overridden === true,
  };
  if (!explanation) return base;
  const named = (id: string) => {
    const p = proposal(id);
    return { title: p?.title ?? '', number: p?.number ?? undefined };
  };
  const m = explanation.mes;
  const exhausted = m?.outcome === 'unaffordable' && m.exhaustedBy ? named(m.exhaustedBy) : undefined;
  const mes: MesExplanationView | undefined =
    m?.outcome === 'funded'
      ? { ...m, payments: m.payments.map((p) => ({ ...p })) }
      : m?.outcome === 'unaffordable'
        ? {
            ...m,
            exhaustedBy: m.exhaustedBy ?? undefined,
            ...(exhausted && { exhaustedByTitle: exhausted.title, exhaustedByNumber: exhausted.number }),
            overlaps: m.overlaps.map((o) => ({ ...o, ...named(o.proposalId) })),
          }
        : m && { outcome: m.outcome };
  return {
    ...base,
    explanation: {
      supporters: explanation.supporters,
      ...(mes && { mes }),
      ...(explanation.greedy && { greedy: { ...explanation.greedy } }),
    },
  };
}
