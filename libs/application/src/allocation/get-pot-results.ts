import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AllocationLine, RuleKey } from '@civic/domain';
import { CommandRuntime } from '../command-handling/command-runtime';

/** The results of one pot, as the public may see them. */
export class GetPotResultsQuery {
  constructor(readonly potId: string) {}
}

/**
 * A pot's published allocation, or `hidden` while none is published (nobody learns even whether
 * one exists). Who may see a published one, in which phase of the fund, is the embargo's to say
 * (`@civic/policy`, kind `results`): callers ask it.
 */
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
