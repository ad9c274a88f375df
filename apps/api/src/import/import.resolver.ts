import { Args, Context, Field, ID, Int, Mutation, ObjectType, Resolver, registerEnumType } from '@nestjs/graphql';
import { ImportPabulibCommand, type ImportPabulibResult } from '@civic/application';
import type { RequestContext } from '../auth/access.guard';
import { Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { COMMAND_ID } from '../commands/command-id.arg';
import { requireIds } from '../errors/input';

export enum ImportPart {
  projects = 'projects',
  ballots = 'ballots',
}
registerEnumType(ImportPart, {
  name: 'ImportPart',
  description: 'projects: during review, each project becomes an accepted proposal; ballots: while voting is open, each vote a ballot.',
});

@ObjectType({ description: 'What an import of a pabulib file did.' })
export class PabulibImport {
  @Field({ description: 'The SHA-256 of the file, recorded with every imported proposal and ballot.' }) fileDigest!: string;
  @Field(() => Int) projects!: number;
  @Field(() => Int) ballots!: number;
}

/** An election the council ran elsewhere, imported into a pot so that it can be published and audited here. */
@Resolver()
export class ImportResolver {
  constructor(private readonly gateway: CommandGateway) {}

  @Roles('administrator')
  @Mutation(() => PabulibImport, {
    nullable: true,
    description:
      'Imports a past election into a pot from a pabulib file (its text): first the projects (fund in review), then the ballots (voting open). The pot must have the file’s ballot type and budget. The whole file is checked first (line-numbered IMPORT.MALFORMED); running it again writes only what is missing.',
  })
  async importPabulib(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args('file') file: string,
    @Args('part', { type: () => ImportPart }) part: ImportPart,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<PabulibImport> {
    requireIds({ fundId, potId });
    const input = await this.gateway.input(ctx.principal!, commandId);
    return this.gateway.execute<ImportPabulibResult>(new ImportPabulibCommand(fundId, potId, file, part, input));
  }
}
