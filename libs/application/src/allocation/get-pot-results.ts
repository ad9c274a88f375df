import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AllocationLine, RuleKey } from '@civic/domain';
import { CommandRuntime } from '../command-handling/command-runtime';

/** The results of one pot, as the public may see them. */
export class GetPotResultsQuery {
  constructor(readonly potId: string) {}
}

/** Hidden until a councillor publishes them: before that, nobody learns even whether they exist. */
export type PotResults =
  | { readonly status: 'hidden' }
  | {
      readonly status: 'published';
      readonly rule: RuleKey;
      readonly ruleVersion: string;
      readonly inputDigest: string;
      readonly ballotCount: number;
      readonly budget: number;
      readonly totalCost: number;
      readonly lines: readonly AllocationLine[];
    };

@QueryHandler(GetPotResultsQuery)
export class GetPotResultsHandler implements IQueryHandler<GetPotResultsQuery, PotResults> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ potId }: GetPotResultsQuery): Promise<PotResults> {
    const allocation = await this.runtime.reader.allocation(potId);
    if (allocation.status !== 'published') return { status: 'hidden' };
    const { rule, ruleVersion, inputDigest, ballotCount, budget, totalCost, lines } = allocation;
    return { status: 'published', rule, ruleVersion, inputDigest, ballotCount, budget, totalCost, lines };
  }
}
