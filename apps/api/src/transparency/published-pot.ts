import type { PlatformReader } from '@civic/application';
import type { AllocationState, ExistingFund, Pot } from '@civic/domain';
import { ApiError } from '../errors/api-error';
import type { FundReader } from '../funds/fund.reader';

const PUBLISHED = ['results_published', 'delivery', 'closed'];

export interface PublishedPot {
  readonly fund: ExistingFund;
  readonly pot: Pot;
  readonly allocation: Extract<AllocationState, { status: 'published' }>;
}

/** A pot whose fund's results and whose own allocation are published; `AUTH.FORBIDDEN` before (ballot marks stay hidden until then). */
export async function publishedPot(reader: PlatformReader, funds: FundReader, potId: string, what: string): Promise<PublishedPot> {
  const listed = funds.byPot(potId);
  if (!listed) throw new ApiError('NOT_FOUND', 'There is no such pot.');
  const fund = await reader.fund(listed.id);
  const allocation = await reader.allocation(potId);
  if (!PUBLISHED.includes(fund.status) || allocation.status !== 'published')
    throw new ApiError('AUTH.FORBIDDEN', `${what} once the pot’s results are published.`);
  return { fund, pot: fund.pots.find((p) => p.potId === potId)!, allocation };
}
