import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { statement, type ReadModelDatabase } from '@civic/projections';
import { READ_MODELS } from '../read-models/read-models.module';
import { QueryBus } from '@nestjs/cqrs';
import {
  CommandRuntime,
  GetMyEligibilityQuery,
  ImportRegisterCommand,
  RunResidentCommand,
  type CommandResult,
  type ImportRegisterResult,
  type PotEligibility,
} from '@civic/application';
import { requireReference, type ResidentCommand } from '@civic/domain';
import type { RequestContext } from '../auth/access.guard';
import { Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { ApiError } from '../errors/api-error';

/** A register of at most this many bytes per request; larger registers go in several imports. */
export const MAX_REGISTER_CSV_BYTES = 900 * 1024;
/** The most entries one page of the register holds. */
export const MAX_REGISTER_PAGE = 500;

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
  @Field({
    nullable: true,
    description: 'Global position of the event written (on a retry, by the first call); null when nothing was written.',
  })
  position?: string;
}

@ObjectType({ description: 'A resident on the register, by pseudonymous id: no personal data.' })
export class RegisterEntry {
  @Field(() => ID, { description: 'The keyed hash of the resident’s reference.' }) residentId!: string;
  @Field({ nullable: true }) ward?: string;
  @Field({ description: 'registered, verified or erased' }) status!: string;
  @Field({ description: 'register (imported) or self' }) source!: string;
  @Field(() => DateTimeScalar) registeredAt!: Date;
}

@ObjectType({ description: 'Whether a resident may vote in one pot of a fund now, and if not why.' })
export class ResidentPotEligibility {
  @Field(() => ID) potId!: string;
  @Field({ description: 'eligible, not_registered, not_verified, too_young, other_ward or erased' }) eligibility!: string;
}

@ObjectType({ description: 'A resident looked up by reference, as staff may see them: status, ward, eligibility; no personal data.' })
export class ResidentLookup {
  @Field({ description: 'registered, verified, erased, or not_registered' }) status!: string;
  @Field({ nullable: true }) ward?: string;
  @Field({ nullable: true, description: 'register (imported) or self' }) source?: string;
  @Field(() => DateTimeScalar, { nullable: true }) registeredAt?: Date;
  @Field(() => [ResidentPotEligibility], { nullable: true, description: 'With fundId: per pot of that fund.' })
  eligibility?: ResidentPotEligibility[];
}

@ObjectType()
export class RegisterPage {
  @Field(() => [RegisterEntry]) entries!: RegisterEntry[];
  @Field(() => Int) totalCount!: number;
  @Field({ nullable: true }) endCursor?: string;
}

/** The register of eligible residents: administrators only. */
@Resolver()
export class RegisterResolver {
  constructor(
    private readonly gateway: CommandGateway,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    private readonly runtime: CommandRuntime,
    private readonly queries: QueryBus,
  ) {}

  @Roles('administrator')
  @Query(() => RegisterPage, { description: 'The register, a page at a time, optionally for one ward.' })
  register(
    @Args('ward', { type: () => String, nullable: true }) ward: string | undefined,
    @Args('first', { type: () => Int, defaultValue: 100, description: `At most ${MAX_REGISTER_PAGE}.` }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | undefined,
  ): RegisterPage {
    if (!Number.isInteger(first) || first < 1 || first > MAX_REGISTER_PAGE)
      throw new ApiError('INPUT.INVALID', `first must be between 1 and ${MAX_REGISTER_PAGE}.`);
    const afterSeq = after === undefined ? 0 : Number(/^\d{1,15}$/.test(after) ? after : NaN);
    if (Number.isNaN(afterSeq)) throw new ApiError('INPUT.INVALID', 'after is not a cursor this API gave out.');
    const where = ward === undefined ? '' : 'AND ward = ?';
    const args = ward === undefined ? [] : [ward];
    const db = this.readModels.db;
    const total = (db.prepare(`SELECT count(*) AS n FROM register WHERE 1 = 1 ${where}`).get(...args) as { n: number }).n;
    const rows = db.prepare(`SELECT * FROM register WHERE seq > ? ${where} ORDER BY seq LIMIT ?`).all(afterSeq, ...args, first) as {
      seq: number;
      resident_id: string;
      ward: string | null;
      status: string;
      source: string;
      registered_at: string;
    }[];
    return {
      totalCount: total,
      endCursor: rows.length === first ? String(rows[rows.length - 1].seq) : undefined,
      entries: rows.map((r) => ({
        residentId: r.resident_id,
        ward: r.ward ?? undefined,
        status: r.status,
        source: r.source,
        registeredAt: new Date(r.registered_at),
      })),
    };
  }

  @Roles('administrator', 'reviewer', 'councillor')
  @Query(() => ResidentLookup, {
    description:
      'Looks a resident up by the reference they give (pseudonymised on the way in, never stored): status, ward and, with fundId, eligibility per pot.',
  })
  async residentByReference(
    @Args('reference') reference: string,
    @Args('fundId', { type: () => ID, nullable: true }) fundId: string | undefined,
  ): Promise<ResidentLookup> {
    const residentId = await this.runtime.pseudonymiser.pseudonymFor({ kind: 'register' }, requireReference(reference));
    const row = statement(this.readModels.db, `SELECT ward, status, source, registered_at FROM register WHERE resident_id = ?`).get(
      residentId,
    ) as { ward: string | null; status: string; source: string; registered_at: string } | undefined;
    const eligibility =
      fundId === undefined
        ? undefined
        : (await this.queries.execute<GetMyEligibilityQuery, PotEligibility[]>(new GetMyEligibilityQuery(fundId, reference))).map((e) => ({
            ...e,
          }));
    if (!row) return { status: 'not_registered', eligibility };
    return { status: row.status, ward: row.ward ?? undefined, source: row.source, registeredAt: new Date(row.registered_at), eligibility };
  }

  @Roles('administrator')
  @Mutation(() => RegisterImport, {
    nullable: true,
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
    // A file without a valid header is refused as a whole by the handler (REGISTER.INVALID_CSV): nothing is imported.
    return { imported: result.imported, refused: result.refused.map((r) => ({ ...r })) };
  }

  @Roles('administrator')
  @Mutation(() => ResidentChange, {
    nullable: true,
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
  @Mutation(() => ResidentChange, { nullable: true })
  verifyResident(
    @Args('reference') reference: string,
    @Args('commandId', { type: () => ID, nullable: true }) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('VerifyResident', { reference }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => ResidentChange, { nullable: true })
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
    nullable: true,
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
