import { Args, Context, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { ImportRegisterCommand, RunResidentCommand, type CommandResult, type ImportRegisterResult } from '@civic/application';
import type { ResidentCommand } from '@civic/domain';
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

@InputType({ description: 'A resident to register. Personal data is stored only sealed, under a key of the resident’s own.' })
export class RegisterResidentInput {
  @Field({ description: 'The reference on the register (council tax, electoral roll…), as typed.' }) reference!: string;
  @Field({ description: 'YYYY-MM-DD' }) dateOfBirth!: string;
  @Field({ nullable: true }) ward?: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) address?: string;
  @Field({ nullable: true }) email?: string;
}

@ObjectType({ description: 'What a resident command did. Never echoes personal data.' })
export class ResidentChange {
  @Field() done!: boolean;
  @Field({ nullable: true, description: 'Global position of the event written; null when a retry wrote nothing.' }) position?: string;
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

  @Roles('administrator')
  @Mutation(() => ResidentChange, {
    description: 'Registers one resident (verified when they come from the register import; verify others with verifyResident).',
  })
  registerResident(
    @Args('input') input: RegisterResidentInput,
    @Args('commandId', { type: () => ID, nullable: true }) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('RegisterResident', { ...input }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => ResidentChange)
  verifyResident(
    @Args('reference') reference: string,
    @Args('commandId', { type: () => ID, nullable: true }) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('VerifyResident', { reference }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => ResidentChange)
  assignWard(
    @Args('reference') reference: string,
    @Args('ward') ward: string,
    @Args('commandId', { type: () => ID, nullable: true }) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('AssignWard', { reference, ward }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => ResidentChange, {
    description:
      'Erases a resident’s personal data by destroying their key (crypto-shredding). Their ballots still count; they cannot register again. The reason is stored in clear: give a case number, not details of the person.',
  })
  eraseResident(
    @Args('reference') reference: string,
    @Args('reason') reason: string,
    @Args('commandId', { type: () => ID, nullable: true }) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('EraseResident', { reference, reason }, commandId, ctx);
  }

  private async run(
    type: ResidentCommand['type'],
    payload: object,
    commandId: string | undefined,
    ctx: RequestContext,
  ): Promise<ResidentChange> {
    const result = await this.gateway.execute<CommandResult>(
      new RunResidentCommand(type, payload as never, await this.gateway.input(ctx.principal!, commandId)),
    );
    return { done: true, position: result.position };
  }
}
