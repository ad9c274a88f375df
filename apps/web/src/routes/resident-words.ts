import { createHash } from 'node:crypto';
import type { EligibilityCode, FundData, PotData, PotEligibility } from '../graphql/operations';
import type { PageContext } from '../web-app';

/** "No. 12" / "নং ১২": the number a paper ballot uses, through Intl; empty before acceptance. */
export const numberText = (ctx: PageContext, number: number | null | undefined): string =>
  number == null ? '' : ctx.t('numbering.no', { number: ctx.f.number(number) });

/** A proposal by title and number: "Play street (No. 6)"; the title alone while it has no number. */
export const titled = (ctx: PageContext, p: { title: string; number?: number | null }): string =>
  p.number == null ? p.title : ctx.t('numbering.titled', { title: p.title, number: ctx.f.number(p.number) });

/**
 * The seed of a resident's shuffle of a pot's proposals: the same for the same resident and pot
 * on every load, error and review page, different between residents (so no proposal always sits
 * first), and telling nothing of the resident (a hash, never their reference).
 */
export const ballotSeed = (ctx: PageContext, potId: string): string =>
  createHash('sha256')
    .update(`${ctx.principal?.subject ?? 'anonymous'}\u0000${potId}`)
    .digest('base64url')
    .slice(0, 22);

export interface EligibilityWords {
  potId: string;
  potName: string;
  eligible: boolean;
  /** What the resident reads: that they may vote here, or why not, in words. */
  sentence: string;
}

/** Why a resident may not vote in a pot, in words a resident understands. */
export const eligibilitySentence = (ctx: PageContext, fund: FundData, pot: PotData, code: EligibilityCode): string =>
  ctx.t(`eligibility.${code}`, { age: ctx.f.number(fund.minimumAge), ward: pot.ward ?? '', pot: pot.name });

export function eligibilityWords(ctx: PageContext, fund: FundData, pots: readonly PotData[], answers: readonly PotEligibility[]) {
  const byPot = new Map(answers.map((a) => [a.potId, a]));
  return pots.flatMap((pot): EligibilityWords[] => {
    const a = byPot.get(pot.id);
    if (!a) return [];
    return [{ potId: pot.id, potName: pot.name, eligible: a.eligible, sentence: eligibilitySentence(ctx, fund, pot, a.eligibility) }];
  });
}
