import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MergeDuplicatesCommand, RunProposalCommand, type CommandResult, type ProposalInput } from '@civic/application';
import type { ProposalCommand } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import type { RequestContext } from '../auth/access.guard';
import { Public, Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { ApiError } from '../errors/api-error';
import { EXPECTED_REVISION, requireAmount, requireIds } from '../errors/input';
import { PenceScalar } from '../graphql/pence.scalar';
import type { Moment } from '../time-travel/as-of';
import { TimeTravel } from '../time-travel/time-travel';
import { EVENT_STORE } from '../tokens';
import { EditProposalInput, ProposalsArgs, SubmitProposalInput } from './proposal.inputs';
import { ProposalReader } from './proposal.reader';
import { Proposal, ProposalConnection, ProposalHistoryEntry, ProposalPayload } from './proposal.types';
import { COMMAND_ID } from '../commands/command-id.arg';

const STAFF = ['reviewer', 'councillor'] as const;

/** The point of the history a proposal was read at, when it was read with `asOf`. */
const AS_OF = new WeakMap<Proposal, Moment>();

/** Proposals: public to read; submitted and edited by residents; reviewed by staff. */
@Resolver(() => Proposal)
export class ProposalResolver {
  constructor(
    private readonly proposals: ProposalReader,
    private readonly gateway: CommandGateway,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly timeTravel: TimeTravel,
  ) {}

  @Public()
  @Query(() => ProposalConnection, {
    name: 'proposals',
    description: 'Proposals, filtered, a page at a time: in order of submission, by number, or in a seeded random order for ballots.',
  })
  async proposalPage(@Args() args: ProposalsArgs): Promise<ProposalConnection> {
    return this.read(
      args.asOf,
      (proposals) => proposals.page(args, args.first, args.after),
      (page) => page.edges.map((e) => e.node),
    );
  }

  @Public()
  @Query(() => Proposal, { nullable: true })
  async proposal(
    @Args('id', { type: () => ID }) id: string,
    @Args('asOf', { type: () => String, nullable: true, description: 'A global position or an ISO time: the answer as it stood then.' })
    asOf: string | undefined,
  ): Promise<Proposal | undefined> {
    return this.read(
      asOf,
      (proposals) => proposals.get(id),
      (proposal) => [proposal],
    );
  }

  /** Reads the live proposals, or (`asOf`) the proposals as they stood then; null means the same as no `asOf`. */
  /**
   * Reads the live proposals, or (`asOf`) the proposals as they stood then, each marked with
   * that point so that its history stops there too; null means the same as no `asOf`.
   */
  private async read<T>(
    asOf: string | null | undefined,
    read: (proposals: ProposalReader) => T,
    found: (answer: T) => readonly (Proposal | undefined)[],
  ): Promise<T> {
    if (asOf == null) return read(this.proposals);
    return this.timeTravel.read(asOf, (rm, moment) => {
      const answer = read(new ProposalReader(rm));
      for (const proposal of found(answer)) if (proposal) AS_OF.set(proposal, moment);
      return answer;
    });
  }

  @Public()
  @ResolveField(() => [ProposalHistoryEntry], { description: 'Every event that touched this proposal, with the actor’s role and time.' })
  async history(@Parent() proposal: Proposal): Promise<ProposalHistoryEntry[]> {
    const moment = AS_OF.get(proposal);
    const events = (await this.store.readStream(`proposal-${proposal.id}`)).filter(
      (e) => !moment || this.timeTravel.reached(moment, e.position),
    );
    return events.map((e) => ({
      type: e.type,
      actorRole: String(e.metadata.actorRole ?? 'unknown'),
      time: new Date(String(e.metadata.time ?? e.recordedAt)),
      position: e.position,
      revision: e.revision,
    }));
  }

  @Public()
  @ResolveField(() => Boolean, { description: 'True when the signed-in resident wrote it.' })
  async mine(@Parent() proposal: Proposal, @Context() ctx: RequestContext): Promise<boolean> {
    if (ctx.principal?.role !== 'resident') return false;
    return proposal.authorId === (await this.gateway.residentId(ctx.principal));
  }

  @Roles('resident')
  @Mutation(() => ProposalPayload, { nullable: true, description: 'Proposes a project to a pot while proposals are open.' })
  submitProposal(
    @Args('input') input: SubmitProposalInput,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    // Without a proposalId the handler names the proposal from the command id, so a retry finds it.
    requireIds({ fundId: input.fundId, potId: input.potId });
    requireAmount(input.estimatedCost, 'estimatedCost');
    return this.run('SubmitProposal', { ...input }, commandId, ctx);
  }

  @Roles('resident')
  @Mutation(() => ProposalPayload, { nullable: true, description: 'The author edits a proposal before review.' })
  async editProposal(
    @Args('proposalId', { type: () => ID }) proposalId: string,
    @Args('changes') changes: EditProposalInput,
    @Args(EXPECTED_REVISION) expectedRevision: number | undefined,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    requireIds({ proposalId });
    if (changes.estimatedCost !== undefined) requireAmount(changes.estimatedCost, 'estimatedCost');
    return this.run('EditProposal', { proposalId, changes: { ...changes } }, commandId, ctx, expectedRevision);
  }

  @Roles('resident')
  @Mutation(() => ProposalPayload, { nullable: true })
  withdrawProposal(
    @Args('proposalId', { type: () => ID }) proposalId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('WithdrawProposal', { proposalId }, commandId, ctx);
  }

  @Roles(...STAFF)
  @Mutation(() => ProposalPayload, { nullable: true, description: 'Accepts a proposal with the official cost estimate.' })
  acceptProposal(
    @Args('proposalId', { type: () => ID }) proposalId: string,
    @Args('officialCost', { type: () => PenceScalar }) officialCost: number,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('AcceptProposal', { proposalId, officialCost: requireAmount(officialCost, 'officialCost') }, commandId, ctx);
  }

  @Roles(...STAFF)
  @Mutation(() => ProposalPayload, { nullable: true, description: 'Rejects a proposal with a reason the author and the public can read.' })
  rejectProposal(
    @Args('proposalId', { type: () => ID }) proposalId: string,
    @Args('reason') reason: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('RejectProposal', { proposalId, reason }, commandId, ctx);
  }

  @Roles(...STAFF)
  @Mutation(() => ProposalPayload, {
    nullable: true,
    description: 'Merges duplicates into one survivor; each duplicate names it, so its supporters can follow.',
  })
  async mergeProposals(
    @Args('survivorId', { type: () => ID }) survivorId: string,
    @Args('duplicateIds', { type: () => [ID] }) duplicateIds: string[],
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<ProposalPayload> {
    if (duplicateIds.length === 0 || duplicateIds.length > 50) throw new ApiError('INPUT.INVALID', 'Name 1 to 50 duplicates.');
    requireIds({ survivorId, duplicateIds });
    if (new Set(duplicateIds).size !== duplicateIds.length) throw new ApiError('INPUT.INVALID', 'Name each duplicate once.');
    const results = await this.gateway.execute<CommandResult[]>(
      new MergeDuplicatesCommand(survivorId, duplicateIds, await this.gateway.input(ctx.principal!, commandId)),
    );
    return {
      proposal: this.found(survivorId),
      position: results
        .map((r) => r.position)
        .filter(Boolean)
        .pop(),
    };
  }

  private async run<T extends ProposalCommand['type']>(
    type: T,
    payload: ProposalInput<Extract<ProposalCommand, { type: T }>>,
    commandId: string | undefined,
    ctx: RequestContext,
    expectedRevision?: number,
  ): Promise<ProposalPayload> {
    requireIds({ proposalId: payload.proposalId });
    const result = await this.gateway.execute<CommandResult>(
      new RunProposalCommand<ProposalCommand>(
        type,
        payload as ProposalInput<ProposalCommand>,
        await this.gateway.input(ctx.principal!, commandId, expectedRevision),
      ),
    );
    // A new proposal the client did not name has the id its handler chose.
    return { proposal: this.found(payload.proposalId ?? result.chosenId), position: result.position };
  }

  private found(proposalId: string | undefined): Proposal {
    return (
      (proposalId === undefined ? undefined : this.proposals.get(proposalId)) ??
      (() => {
        throw new ApiError('NOT_FOUND', 'There is no such proposal.');
      })()
    );
  }
}
