/**
 * A GraphQL operation with the types of its result and variables. The types are generated from
 * the committed schema for every registered document (`npm run codegen` writes `generated.ts`:
 * `operation<WebFundQuery, WebFundQueryVariables>(`query WebFund …`)`); a test fails when that
 * file is stale, and `web-operations.spec.ts` validates every document against the schema. Type
 * arguments written by hand still compile, so an operation can be added before regenerating.
 */
export interface Operation<TData, TVariables> {
  readonly document: string;
  /** Never set: carries the types only. */
  readonly __types?: { data: TData; variables: TVariables };
}

const registry = new Map<string, Operation<unknown, unknown>>();

/**
 * Declares a page's operation. Every operation is registered under its name (names are unique
 * across the web app), so the schema test checks every one of them, wherever it is declared.
 */
export const operation = <TData, TVariables = Record<string, never>>(document: string): Operation<TData, TVariables> => {
  const name = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(document)?.[1];
  if (!name) throw new Error(`A page's operation needs a name: ${document.slice(0, 60)}`);
  const existing = registry.get(name);
  if (existing && existing.document !== document) throw new Error(`Two page operations are named ${name}.`);
  const op = (existing ?? { document }) as Operation<TData, TVariables>;
  registry.set(name, op);
  return op;
};

/** Every operation declared so far, by name (the files that declare them must have been loaded). */
export const registeredOperations = (): ReadonlyMap<string, Operation<unknown, unknown>> => registry;

/** A refusal as the API sends it: a stable code, a message in English, and (where known) the field and values. */
export interface ApiRefusal {
  readonly message: string;
  readonly code: string;
  readonly field?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

export type Result<TData> = { ok: true; data: TData } | { ok: false; errors: readonly ApiRefusal[] };
