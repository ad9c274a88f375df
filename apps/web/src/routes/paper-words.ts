import { type FormErrors, refusalsToErrors } from '../forms/errors';
import type { ApiRefusal } from '../graphql/operation';
import { FUND, type FundData, type PotData } from '../graphql/operations';
import { PAPER_PROPOSALS, type NumberedProposal, type PaperEntryVars } from '../graphql/paper.operations';
import type { StaffRole } from '../setup/page-guard';
import { dataOr404, PageRefused, type PageContext } from '../web-app';

/** Who enters and corrects paper ballots and voids ballots: the API lets reviewers and councillors. */
export const PAPER_OFFICERS: { readonly staff: readonly StaffRole[] } = { staff: ['reviewer', 'councillor'] };
/** Who reads paper batches and their reconciliation. */
export const PAPER_READERS: { readonly staff: readonly StaffRole[] } = { staff: ['reviewer', 'councillor', 'administrator', 'auditor'] };

export const canEnterPaper = (ctx: PageContext) => (PAPER_OFFICERS.staff as readonly string[]).includes(ctx.principal?.role ?? '');

export const REASON_MAX = 1000;
export const TEXT_MAX = 100;
export const SHEETS_MAX = 500;

/** The fund and pot of the page's address (404 when either is unknown). */
export async function fundAndPot(ctx: PageContext, fundId: string, potId: string): Promise<{ fund: FundData; pot: PotData }> {
  const { fund } = dataOr404(await ctx.gql(FUND, { id: fundId }));
  const pot = fund?.pots.find((p) => p.id === potId);
  if (!fund || !pot) throw new PageRefused(404);
  return { fund, pot };
}

/** The pot's accepted proposals by number, as the paper form prints them. */
export async function numberedProposals(ctx: PageContext, fundId: string, potId: string): Promise<NumberedProposal[]> {
  const { proposals } = dataOr404(await ctx.gql(PAPER_PROPOSALS, { fundId, potId }));
  return proposals.edges.map((e) => e.node).filter((p) => p.number !== null);
}

/**
 * The marks typed from a form: "3, 7, 12" (the numbers ticked) or, for points, "3=2, 7=1".
 * Only the shape is checked here; whether each number is a proposal of the pot is the API's to say.
 */
export function parseMarks(
  typed: string,
  cumulative: boolean,
): { numbers: number[] } | { points: { number: number; points: number }[] } | undefined {
  const parts = typed
    .replace(/\s*[=:]\s*/g, '=')
    .split(/[\s,;]+/)
    .filter(Boolean);
  if (parts.length > 200) return undefined;
  if (!cumulative) {
    if (!parts.every((p) => /^\d{1,6}$/.test(p))) return undefined;
    return { numbers: parts.map(Number) };
  }
  const points = parts.map((p) => /^(\d{1,6})=(\d{1,4})$/.exec(p));
  if (points.some((m) => !m)) return undefined;
  return { points: points.map((m) => ({ number: Number(m![1]), points: Number(m![2]) })) };
}

/** One typed form as the API takes it. */
export function entryOf(reference: string, typed: string, cumulative: boolean): PaperEntryVars | undefined {
  const marks = parseMarks(typed, cumulative);
  if (!marks) return undefined;
  return 'numbers' in marks ? { reference, numbers: marks.numbers } : { reference, numberedPoints: marks.points };
}

/** Why the voting rules refused a form, in the officer's language (the API's message when the catalogue has no words for its code). */
export function refusalWords(ctx: PageContext, pot: PotData, code: string | null, message: string | null): string {
  const number = /number (\d+)/.exec(message ?? '')?.[1];
  const params = {
    number: number === undefined ? '' : ctx.f.number(Number(number)),
    min: ctx.f.number(pot.ballot.minPicks ?? 1),
    max: ctx.f.number(pot.ballot.maxPicks ?? 0),
    points: ctx.f.number(pot.ballot.points ?? 0),
  };
  const text = ctx.t(`paper.refusal.${code}`, params);
  return text.startsWith('[') ? ctx.t('paper.refusal.other', { message: message ?? code ?? '' }) : text;
}

/** The API's refusals of an officer's form, in the officer's words where the paper catalogue has them, each at its field. */
export function officerErrors(
  ctx: PageContext,
  pot: PotData,
  refusals: readonly ApiRefusal[],
  fieldOfCode: Readonly<Record<string, string>>,
  fallbackField: string,
): FormErrors {
  const errors = refusalsToErrors(ctx, refusals, fieldOfCode, fallbackField);
  for (const r of refusals) {
    const field = r.field ?? fieldOfCode[r.code] ?? fallbackField;
    if (!ctx.t(`paper.refusal.${r.code}`).startsWith('[') && errors.byField[field] !== undefined) {
      const text = refusalWords(ctx, pot, r.code, r.message);
      errors.byField[field] = text;
      const item = errors.summary.find((s) => s.href === `#${field}`);
      if (item) item.text = text;
    }
  }
  return errors;
}
