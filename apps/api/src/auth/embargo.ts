import { PHASES, type Phase } from '@civic/domain';
import { access, viewerOf, type DataKind, type Level, type Viewer } from '@civic/policy';
import { ApiError } from '../errors/api-error';
import type { RequestContext } from './access.guard';

/** The caller as the embargo table knows them: their role, or anonymous. */
export const viewer = (ctx: RequestContext | undefined): Viewer => viewerOf(ctx?.principal);

/** A read model's phase (the GraphQL enum has the domain's values); anything else counts as no phase, i.e. draft. */
const asPhases = (phases: string | readonly string[]): Phase[] =>
  (typeof phases === 'string' ? [phases] : phases).filter((p): p is Phase => (PHASES as readonly string[]).includes(p));

/** What the caller may see of `kind` in a fund at `phases` (for time travel: then and now). */
export const sight = (ctx: RequestContext | undefined, kind: DataKind, phases: string | readonly string[]): Level =>
  access(viewer(ctx), kind, asPhases(phases));

/**
 * Refuses with `AUTH.FORBIDDEN` unless the caller may see `kind` itself (or, with `own`, their
 * own items of it) in a fund at `phases`: the one way a field refuses for the embargo.
 */
export function requireSight(
  ctx: RequestContext | undefined,
  kind: DataKind,
  phases: string | readonly string[],
  message: string,
  options: { readonly own?: boolean } = {},
): void {
  const level = sight(ctx, kind, phases);
  if (level === 'visible' || (options.own && level === 'own')) return;
  throw new ApiError('AUTH.FORBIDDEN', message);
}
