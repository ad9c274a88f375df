import { Inject } from '@nestjs/common';
import { Args, Context, Field, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { RunWardsCommand, type CommandResult } from '@civic/application';
import { statement, type ReadModelDatabase } from '@civic/projections';
import type { RequestContext } from '../auth/access.guard';
import { Public, Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { COMMAND_ID } from '../commands/command-id.arg';
import { READ_MODELS } from '../read-models/read-models.module';

@ObjectType({ description: 'What configuring the wards did.' })
export class WardsPayload {
  @Field(() => [String]) wards!: string[];
  @Field({ nullable: true, description: 'The global position of the event written; null when nothing changed.' }) position?: string;
}

/** The borough's wards: public to read, configured by administrators; a pot is for one of them. */
@Resolver()
export class WardsResolver {
  constructor(
    private readonly gateway: CommandGateway,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
  ) {}

  @Public()
  @Query(() => [String], { description: 'The borough’s wards, in the council’s order (empty until configured).' })
  wards(): string[] {
    return (statement(this.readModels.db, `SELECT name FROM wards ORDER BY ordinal`).all() as { name: string }[]).map((r) => r.name);
  }

  @Roles('administrator')
  @Mutation(() => WardsPayload, {
    nullable: true,
    description: 'Sets the borough’s wards (the whole list, e.g. the rows of a wards CSV). Pots may then be added for these wards only.',
  })
  async configureWards(
    @Args('wards', { type: () => [String] }) wards: string[],
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<WardsPayload> {
    const result = await this.gateway.execute<CommandResult>(
      new RunWardsCommand('ConfigureWards', { wards }, await this.gateway.input(ctx.principal!, commandId)),
    );
    return { wards: this.wards(), position: result.position };
  }
}
