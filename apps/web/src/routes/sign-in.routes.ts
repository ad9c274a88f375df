import { DEV_SIGN_IN, SIGN_OUT } from '../graphql/operations';
import { addError, noErrors, one, refusalsToErrors } from '../forms/errors';
import { type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';

/** A path of this site to return to after signing in; never another site. */
export const safeBack = (back: unknown, fallback = '/'): string =>
  typeof back === 'string' && /^\/(?![/\\])/.test(back) && back.length < 2000 ? back : fallback;

/** Where the demo register's residents are named (the demo seed prints one at start-up). */
const EXAMPLE_REFERENCE = 'TH-000001';

export const signInRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/sign-in',
    access: 'public',
    handle: async (ctx) => ({
      view: 'pages/sign-in.njk',
      model: { back: safeBack(ctx.query.back), expired: ctx.query.expired === '1', reference: '', example: EXAMPLE_REFERENCE },
    }),
  },
  {
    method: 'POST',
    url: '/sign-in',
    access: 'public',
    handle: async (ctx) => {
      const reference = one(ctx.body.reference).trim();
      const back = safeBack(one(ctx.body.back));
      const model = { back, reference, example: EXAMPLE_REFERENCE };
      if (!reference)
        return {
          view: 'pages/sign-in.njk',
          status: 400,
          model: { ...model, errors: addError(noErrors(), 'reference', ctx.t('signIn.errors.empty')) },
        };
      if (reference.length > 128)
        return {
          view: 'pages/sign-in.njk',
          status: 400,
          model: { ...model, errors: addError(noErrors(), 'reference', ctx.t('signIn.errors.tooLong')) },
        };
      // The development sign-in (off in production): the only resident sign-in until real sign-in lands.
      const result = await ctx.gql(DEV_SIGN_IN, { subject: reference });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return {
          view: 'pages/sign-in.njk',
          status: 400,
          model: { ...model, errors: refusalsToErrors(ctx, result.errors, {}, 'reference') },
        };
      }
      ctx.signIn({ subject: result.data.devSignIn.subject, role: 'resident', method: 'dev', apiToken: result.data.devSignIn.token });
      return { redirect: back };
    },
  },
  {
    method: 'POST',
    url: '/sign-out',
    access: 'public',
    handle: async (ctx) => {
      // The API session first (its token is refused from the next request on, cached or not), then the web session.
      if (ctx.principal) await ctx.gql(SIGN_OUT, {}).catch(() => undefined);
      ctx.signOut();
      return { redirect: '/?signedOut=1' };
    },
  },
];
