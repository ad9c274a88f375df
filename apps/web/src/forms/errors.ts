import type { ApiRefusal } from '../graphql/operation';
import type { PageContext } from '../web-app';

/** What a form shows after a refusal: the GOV.UK error summary, and each message by its field. */
export interface FormErrors {
  readonly summary: { text: string; href: string }[];
  readonly byField: Record<string, string>;
}

export const noErrors = (): FormErrors => ({ summary: [], byField: {} });

/** Adds one message for a field (the first message of a field wins; the summary lists each once). */
export function addError(errors: FormErrors, field: string, text: string): FormErrors {
  if (!(field in errors.byField)) {
    errors.byField[field] = text;
    errors.summary.push({ text, href: `#${field}` });
  }
  return errors;
}

/**
 * The API's refusals in the resident's language: the catalogue's message for each code (with
 * the refusal's params), shown at the field the API names, else at the field this form gives
 * the code, else at `fallbackField`.
 */
export function refusalsToErrors(
  ctx: PageContext,
  refusals: readonly ApiRefusal[],
  fieldOfCode: Readonly<Record<string, string>>,
  fallbackField: string,
): FormErrors {
  const errors = noErrors();
  for (const r of refusals) {
    const key = `errors.${r.code}`;
    const text = ctx.t(key, r.params);
    // A message whose values the refusal did not carry ("{max}" left) is replaced by the general one.
    const known = !text.startsWith('[') && !/\{\w+\}/.test(text);
    addError(errors, r.field ?? fieldOfCode[r.code] ?? fallbackField, known ? text : ctx.t('errors.generic'));
  }
  return errors;
}

export const hasErrors = (errors: FormErrors) => errors.summary.length > 0;

/** A posted value as one string (the first, when a forged form repeats it). */
export const one = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));
/** A posted value as a list. */
export const many = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
