import { Args, Context, Field, ID, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { ImportRegisterCommand, type ImportRegisterResult } from '@civic/application';
import type { RequestContext } from '../auth/access.guard';
import { Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { ApiError } from '../errors/api-error';

/** A register of at most this many bytes per request; larger registers go in several imports. */
export const MAX_REGISTER_CSV_BYTES = 900 * 1024;

@ObjectType()
export class RegisterRowRefusal {
  @Field(() => Int) line!: number;
  @Field() code!: string;
  @Field() message!: string;
}

@ObjectType({ description: 'What an import did: rows refused are named by line and code, never by content.' })
export class RegisterImport {
  @Field(() => Int) imported!: number;
  @Field(() => [RegisterRowRefusal]) refused!: RegisterRowRefusal[];
}

/** The register of eligible residents: administrators only. */
@Resolver()
export class RegisterResolver {
  constructor(private readonly gateway: CommandGateway) {}

  @Roles('administrator')
  @Mutation(() => RegisterImport, {
    description: 'Imports the register of eligible residents: CSV with a header `reference,ward,date_of_birth`. Safe to re-run.',
  })
  async importRegister(
    @Args('csv') csv: string,
    @Args('commandId', { type: () => ID, nullable: true }) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<RegisterImport> {
    if (Buffer.byteLength(csv) > MAX_REGISTER_CSV_BYTES)
      throw new ApiError('INPUT.INVALID', `A register import may hold at most ${MAX_REGISTER_CSV_BYTES} bytes; split it.`);
    const result = await this.gateway.execute<
      ImportRegisterResult & { position?: string; revision: number; streamName: string; events: []; alreadyHandled: boolean }
    >(new ImportRegisterCommand(csv, await this.gateway.input(ctx.principal!, commandId)));
    return { imported: result.imported, refused: result.refused.map((r) => ({ ...r })) };
  }
}
