import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { eligibilityIn, requireReference, type Eligibility } from '@civic/domain';
import { CommandRuntime } from '../command-handling/command-runtime';

/** In which pots of a fund a signed-in resident may vote now, and why not where not. */
export class GetMyEligibilityQuery {
  constructor(
    readonly fundId: string,
    /** The resident's register reference as they typed it (from their session). */
    readonly reference: string,
  ) {}
}

export interface PotEligibility {
  readonly potId: string;
  readonly eligibility: Eligibility;
}

/**
 * The same tests a ballot meets (`eligibilityIn` beside `requireEligible`), for the resident's
 * own pages. The date of birth is opened in memory, as a ballot opens it, and only for a verified
 * resident; sealed data that cannot be opened reads as not eligible (fail closed).
 */
@QueryHandler(GetMyEligibilityQuery)
export class GetMyEligibilityHandler implements IQueryHandler<GetMyEligibilityQuery, PotEligibility[]> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ fundId, reference }: GetMyEligibilityQuery): Promise<PotEligibility[]> {
    const { reader, pseudonymiser } = this.runtime;
    const fund = await reader.fund(fundId);
    const residentId = await pseudonymiser.pseudonymFor({ kind: 'register' }, requireReference(reference));
    const resident = await reader.resident(residentId);
    const opened =
      resident.status === 'verified' && resident.personal
        ? await this.runtime.personalData.open(resident.residentId, resident.personal).catch(() => undefined)
        : undefined;
    const now = this.runtime.now();
    return fund.pots.map((pot) => ({
      potId: pot.potId,
      eligibility: eligibilityIn(resident, opened?.dateOfBirth, pot, fund.minimumAge, now),
    }));
  }
}
