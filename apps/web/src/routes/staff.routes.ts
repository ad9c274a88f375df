import { DEV_STAFF_SIGN_IN } from '../graphql/operations';
import { REDEEM_SIGN_IN } from '../graphql/signin.operations';
import { addError, noErrors, one, refusalsToErrors } from '../forms/errors';
import { STAFF_ROLES, type StaffRole } from '../setup/page-guard';
import { PageRefused, type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';
import { callbackRefusal, safeBack } from './sign-in.routes';

const staffBack = (back: unknown) => safeBack(back, '/staff');

/** Every staff role, the way the pages' guard names them. */
export const ALL_STAFF: { readonly staff: readonly StaffRole[] } = { staff: STAFF_ROLES };

/** What the staff sign-in page offers: the council's provider when configured, the development form outside production. */
const staffSignInModel = (web: WebApp, back: string) => ({
  back,
  roles: STAFF_ROLES,
  ways: web.signInWays,
  oidcHref: `/auth/staff/login?back=${encodeURIComponent(back)}`,
});

/**
 * The staff home page (every task the signed-in role may do, from each page's `menu`) and the
 * development sign-in for staff (off in production: staff sign in through the council's
 * identity provider there).
 */
export const staffRoutes = (web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/staff',
    access: ALL_STAFF,
    handle: async (ctx) => ({
      view: 'pages/staff/home.njk',
      model: { menu: web.menuFor(ctx.principal?.role), role: ctx.principal?.role },
    }),
  },
  {
    method: 'GET',
    url: '/staff/sign-in',
    access: 'public',
    handle: async (ctx) => ({
      view: 'pages/staff/sign-in.njk',
      model: {
        ...staffSignInModel(web, staffBack(ctx.query.back)),
        role: '',
        subject: '',
        errors: callbackRefusal(ctx, 'oidc'),
      },
    }),
  },
  {
    // The council's identity provider comes back here (OIDC_STAFF_RETURN_URL) with a one-time code.
    method: 'GET',
    url: '/staff/sign-in/return',
    access: 'public',
    handle: async (ctx) => {
      const back = staffBack(ctx.query.back);
      const refusedWith = (code: string) =>
        code === 'AUTH.NO_ROLE'
          ? { view: 'pages/staff/no-role.njk', status: 403 }
          : { redirect: `/staff/sign-in?error=${encodeURIComponent(code)}&back=${encodeURIComponent(back)}` };
      const code = one(ctx.query.signin);
      if (!code) return refusedWith(one(ctx.query.error) || 'AUTH.SIGN_IN_FAILED');
      const result = await ctx.gql(REDEEM_SIGN_IN, { code: code.slice(0, 64) });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return refusedWith(result.errors[0]?.code ?? 'AUTH.SIGN_IN_FAILED');
      }
      const signedIn = result.data.redeemSignIn!;
      if (!(STAFF_ROLES as readonly string[]).includes(signedIn.role)) return refusedWith('AUTH.NO_ROLE');
      ctx.signIn({ subject: signedIn.subject, role: signedIn.role as StaffRole, method: 'oidc', apiToken: signedIn.token });
      return { redirect: back };
    },
  },
  {
    method: 'POST',
    url: '/staff/sign-in',
    access: 'public',
    handle: async (ctx) => {
      // The development sign-in: never in production, where the form is not even shown.
      if (!web.signInWays.development) throw new PageRefused(404);
      const role = one(ctx.body.role);
      const subject = one(ctx.body.subject).trim();
      const back = staffBack(one(ctx.body.back));
      const model = { ...staffSignInModel(web, back), role, subject };
      let errors = noErrors();
      if (!(STAFF_ROLES as readonly string[]).includes(role)) errors = addError(errors, 'role', ctx.t('staff.signIn.errors.role'));
      if (!subject) errors = addError(errors, 'subject', ctx.t('staff.signIn.errors.subject'));
      else if (subject.length > 128) errors = addError(errors, 'subject', ctx.t('staff.signIn.errors.tooLong'));
      if (errors.summary.length) return { view: 'pages/staff/sign-in.njk', status: 400, model: { ...model, errors } };
      const result = await ctx.gql(DEV_STAFF_SIGN_IN, { role, subject });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return {
          view: 'pages/staff/sign-in.njk',
          status: 400,
          model: { ...model, errors: refusalsToErrors(ctx, result.errors, {}, 'subject') },
        };
      }
      const signed = result.data.devSignIn;
      if (!signed) throw new PageRefused(500); // a null result comes with an error: never here
      ctx.signIn({ subject: signed.subject, role: role as StaffRole, method: 'dev', apiToken: signed.token });
      return { redirect: back };
    },
  },
];
