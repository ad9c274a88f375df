import { DEV_SIGN_IN, SIGN_OUT } from '../graphql/operations';
import { addError, type FormErrors, noErrors, one, refusalsToErrors } from '../forms/errors';
import { type PageContext, PageRefused, type PageResult, type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';

/** A path of this site to return to after signing in; never another site. */
export const safeBack = (back: unknown, fallback = '/'): string =>
  typeof back === 'string' && /^\/(?![/\\])/.test(back) && back.length < 2000 ? back : fallback;

/** Where the demo register's residents are named (the demo seed prints one at start-up). */
const EXAMPLE_REFERENCE = 'TH-000001';

/** What the residents' sign-in page shows: each way the configuration switches on, with its own fields. */
export interface SignInForm {
  back: string;
  identifier?: string;
  pollReference?: string;
  reference?: string;
  errors?: FormErrors;
  expired?: boolean;
}

/** The residents' sign-in page with every way the configuration switches on. */
export const signInPage = (web: WebApp, form: SignInForm, status?: number): PageResult => ({
  view: 'pages/sign-in.njk',
  status,
  model: {
    identifier: '',
    pollReference: '',
    reference: '',
    ...form,
    ways: web.signInWays,
    oidcHref: `/auth/resident/login?back=${encodeURIComponent(form.back)}`,
    example: EXAMPLE_REFERENCE,
  },
});

/** The refusal of an OpenID Connect sign-in that came back to the web app (`?error=AUTH.…`). */
export const callbackRefusal = (ctx: PageContext, field: string): FormErrors | undefined => {
  const code = one(ctx.query.error);
  if (!code) return undefined;
  const known = /^AUTH\.[A-Z_]{1,40}$/.test(code) ? ctx.t(`errors.${code}`) : '';
  return addError(noErrors(), field, known && !known.startsWith('[') ? known : ctx.t('errors.AUTH.SIGN_IN_FAILED'));
};

export const signInRoutes = (web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/sign-in',
    access: 'public',
    handle: async (ctx) =>
      signInPage(web, { back: safeBack(ctx.query.back), expired: ctx.query.expired === '1', errors: callbackRefusal(ctx, 'oidc') }),
  },
  {
    method: 'POST',
    url: '/sign-in',
    access: 'public',
    handle: async (ctx) => {
      // The development sign-in: never in production, where the form is not even shown.
      if (!web.signInWays.development) throw new PageRefused(404);
      const reference = one(ctx.body.reference).trim();
      const back = safeBack(one(ctx.body.back));
      const form = { back, reference };
      if (!reference) return signInPage(web, { ...form, errors: addError(noErrors(), 'reference', ctx.t('signIn.errors.empty')) }, 400);
      if (reference.length > 128)
        return signInPage(web, { ...form, errors: addError(noErrors(), 'reference', ctx.t('signIn.errors.tooLong')) }, 400);
      const result = await ctx.gql(DEV_SIGN_IN, { subject: reference });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return signInPage(web, { ...form, errors: refusalsToErrors(ctx, result.errors, {}, 'reference') }, 400);
      }
      const signed = result.data.devSignIn;
      if (!signed) throw new PageRefused(500); // a null result comes with an error: never here
      ctx.signIn({ subject: signed.subject, role: 'resident', method: 'dev', apiToken: signed.token });
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
      // A device in kiosk mode stays in it: back to its start page for the next resident.
      if (ctx.kiosk) {
        ctx.enterKiosk(ctx.kiosk);
        return { redirect: '/kiosk' };
      }
      ctx.signOut();
      return { redirect: '/?signedOut=1' };
    },
  },
];
