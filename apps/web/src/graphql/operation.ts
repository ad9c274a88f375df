/**
 * A GraphQL operation with the types of its result and variables, written by hand next to its
 * document (codegen's CLI does not start under the repository's override of
 * `@graphql-tools/utils`); `operations.spec.ts` validates every document against the committed
 * schema, so a document and the schema cannot drift apart unnoticed.
 */
export interface Operation<TData, TVariables> {
  readonly document: string;
  /** Never set: carries the types only. */
  readonly __types?: { data: TData; variables: TVariables };
}

export const operation = <TData, TVariables = Record<string, never>>(document: string): Operation<TData, TVariables> => ({ document });

/** A refusal as the API sends it: a stable code, a message in English, and (where known) the field and values. */
export interface ApiRefusal {
  readonly message: string;
  readonly code: string;
  readonly field?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

export type Result<TData> = { ok: true; data: TData } | { ok: false; errors: readonly ApiRefusal[] };
