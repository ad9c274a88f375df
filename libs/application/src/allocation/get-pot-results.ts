import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { allocate } from '@civic/allocation';
import type { AllocationLine, AllocationState, RuleKey } from '@civic/domain';
import { CommandRuntime } from '../command-handling/command-runtime';
import { allocateOptions, allocationInputs } from './allocation-inputs';
import { lineExplanations } from './line-explanations';

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
  /** Explanations recomputed for allocations recorded without them, by pot, digest and line count. */
  private readonly recomputed = new Map<string, readonly AllocationLine[]>();

  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ potId }: GetPotResultsQuery): Promise<PotResults> {
    const allocation = await this.runtime.reader.allocation(potId);
    if (allocation.status !== 'published') return { status: 'hidden' };
    const { rule, ruleVersion, inputDigest, ballotCount, budget, totalCost } = allocation;
    const lines = allocation.lines.every((l) => l.explanation) ? allocation.lines : await this.explained(allocation);
    return { status: 'published', rule, ruleVersion, inputDigest, ballotCount, budget, totalCost, lines };
  }

  /**
   * Allocations recorded before explanations were stored: recompute the rule from the inputs as
   * they stand now, and attach its explanations only when those inputs are provably the recorded
   * ones (the same digest) and the same rule version runs; otherwise the lines stay as recorded.
   * Published results are frozen (voting closed, review over), so this is computed once and kept.
   */
  private async explained(allocation: Extract<AllocationState, { status: 'published' }>): Promise<readonly AllocationLine[]> {
    const key = `${allocation.potId}:${allocation.inputDigest}:${allocation.lines.length}`;
    const cached = this.recomputed.get(key);
    if (cached) return cached;
    const { reader } = this.runtime;
    const fund = await reader.fund(allocation.fundId);
    const pot = fund.pots.find((p) => p.potId === allocation.potId);
    if (!pot) return allocation.lines;
    const accepted = await reader.acceptedProposals(fund, pot.potId);
    const { election, digest } = allocationInputs(fund.fundId, pot, accepted, await reader.countedBallots(pot.potId));
    if (digest !== allocation.inputDigest) return allocation.lines;
    const result = allocate(election, allocation.rule, allocateOptions(pot, accepted));
    if (result.ruleVersion !== allocation.ruleVersion) return allocation.lines;
    const explanations = lineExplanations(election, result);
    const lines = allocation.lines.map((l) =>
      l.explanation || !explanations.has(l.proposalId) ? l : { ...l, explanation: explanations.get(l.proposalId) },
    );
    this.recomputed.set(key, lines);
    return lines;
  }
}
