import type { FormBody, PageContext } from '../web-app';
import { addError, type FormErrors, noErrors, one } from './errors';
import { parseMoney } from './money';

/** The categories a proposal may have: stable keys, each with its name in every catalogue. */
export const CATEGORIES = ['parks', 'streets', 'youth', 'community', 'environment', 'safety', 'culture', 'other'] as const;

/** The proposal form as typed (kept as typed, to show again with its errors). */
export interface ProposalForm {
  title: string;
  summary: string;
  description: string;
  estimatedCost: string;
  potId: string;
  category: string;
}

/** The same limits as the API's (the API checks again; these give the resident a message at once). */
export const LIMITS = { title: 120, summary: 500, description: 10000 } as const;

export const readProposalForm = (body: FormBody): ProposalForm => ({
  title: one(body.title),
  summary: one(body.summary),
  description: one(body.description),
  estimatedCost: one(body.estimatedCost),
  potId: one(body.potId),
  category: one(body.category),
});

/** The form's own checks, field by field in page order; the API's refusals come after. */
export function checkProposalForm(
  ctx: PageContext,
  form: ProposalForm,
  potIds: readonly string[],
  withPot: boolean,
): { errors: FormErrors; pence?: number } {
  const errors = noErrors();
  for (const field of ['title', 'summary', 'description'] as const) {
    const value = form[field];
    if (value.trim() === '') addError(errors, field, ctx.t(`propose.errors.${field}Empty`));
    else if (value.length > LIMITS[field])
      addError(errors, field, ctx.t(`propose.errors.${field}TooLong`, { max: ctx.f.number(LIMITS[field]) }));
  }
  const pence = parseMoney(form.estimatedCost);
  if (form.estimatedCost.trim() === '') addError(errors, 'estimatedCost', ctx.t('propose.errors.costEmpty'));
  else if (pence === undefined || pence === 0) addError(errors, 'estimatedCost', ctx.t('propose.errors.costInvalid'));
  if (withPot && !potIds.includes(form.potId)) addError(errors, 'potId', ctx.t('propose.errors.potEmpty'));
  if (!(CATEGORIES as readonly string[]).includes(form.category)) addError(errors, 'category', ctx.t('propose.errors.categoryEmpty'));
  return { errors, pence };
}

/** Which field shows each of the API's refusals of a proposal. */
export const PROPOSAL_FIELD_OF_CODE: Readonly<Record<string, string>> = {
  'PROPOSAL.OVER_POT_BUDGET': 'estimatedCost',
  'PROPOSAL.UNKNOWN_POT': 'potId',
  'FUND.POT_NOT_FOUND': 'potId',
};
