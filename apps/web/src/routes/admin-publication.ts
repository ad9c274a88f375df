import { ADMIN_CHOOSE_PUBLICATION, ADMIN_FUND_PUBLICATION } from '../graphql/admin-publication.operations';
import type { BallotPublication } from '../graphql/generated';
import { addError, type FormErrors, noErrors, one, refusalsToErrors } from '../forms/errors';
import { dataOr404, type PageContext, type PageResult, PageRefused, type PageRoute, refuseUnlessFormError } from '../web-app';

const ADMIN = { staff: ['administrator'] } as const;
const VIEW = 'pages/admin/publication.njk';
const PUBLICATIONS: readonly BallotPublication[] = ['linked', 'unlinked'];
/** The phases before voting opens: the only ones in which the API takes a new choice. */
const OPEN_PHASES = ['draft', 'proposals_open', 'review'];

/** The form's command id (a retry of the same form is the same command), or a new one. */
const commandIdOf = (ctx: PageContext) => {
  const id = one(ctx.body.commandId);
  return /^[0-9a-f-]{36}$/i.test(id) ? id : ctx.commandId();
};

async function publicationPage(ctx: PageContext, errors?: FormErrors, chosen?: string): Promise<PageResult> {
  const fund = dataOr404(await ctx.gql(ADMIN_FUND_PUBLICATION, { id: ctx.params.fundId })).fund;
  if (!fund) throw new PageRefused(404);
  return {
    view: VIEW,
    status: errors ? 400 : 200,
    model: {
      fund,
      frozen: !OPEN_PHASES.includes(fund.phase),
      chosen: chosen ?? fund.ballotPublication,
      saved: !errors && one(ctx.query.saved) === '1',
      errors,
      commandId: commandIdOf(ctx),
    },
  };
}

/** Records the administrator's choice; the API refuses it once voting has opened (said in the officer's words). */
async function choose(ctx: PageContext): Promise<PageResult> {
  const publication = one(ctx.body.publication) as BallotPublication;
  if (!PUBLICATIONS.includes(publication))
    return publicationPage(ctx, addError(noErrors(), 'publication', ctx.t('admin.publication.errors.choose')));
  const result = await ctx.gql(ADMIN_CHOOSE_PUBLICATION, {
    commandId: commandIdOf(ctx),
    fundId: ctx.params.fundId,
    publication,
  });
  if (!result.ok) {
    refuseUnlessFormError(result.errors);
    const frozen = result.errors.some((e) => e.code === 'FUND.RULES_FROZEN');
    const errors = frozen
      ? addError(noErrors(), 'publication', ctx.t('admin.publication.errors.frozen'))
      : refusalsToErrors(ctx, result.errors, {}, 'publication');
    return publicationPage(ctx, errors, publication);
  }
  if (!result.data.chooseBallotPublication) throw new PageRefused(404);
  return { redirect: `/admin/funds/${encodeURIComponent(ctx.params.fundId)}/publication?saved=1` };
}

/** An administrator's page to choose how a fund's counted ballots are published: linked or unlinked, until voting opens. */
export const publicationRoutes = (): PageRoute[] => [
  { method: 'GET', url: '/admin/funds/:fundId/publication', access: ADMIN, handle: (ctx) => publicationPage(ctx) },
  { method: 'POST', url: '/admin/funds/:fundId/publication', access: ADMIN, handle: choose },
];
