import { DEV_STAFF_SIGN_IN } from '../graphql/operations';
import { addError, noErrors, one, refusalsToErrors } from '../forms/errors';
import { STAFF_ROLES, type StaffRole } from '../setup/page-guard';
import { type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';
import { safeBack } from './sign-in.routes';

const staffBack = (back: unknown) => safeBack(back, '/staff');

/** Every staff role, the way the pages' guard names them. */
export const ALL_STAFF: { readonly staff: readonly StaffRole[] } = { staff: STAFF_ROLES };

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
      model: { back: staffBack(ctx.query.back), roles: STAFF_ROLES, role: '', subject: '' },
    }),
  },
  {
    method: 'POST',
    url: '/staff/sign-in',
    access: 'public',
    handle: async (ctx) => {
      const role = one(ctx.body.role);
      const subject = one(ctx.body.subject).trim();
      const back = staffBack(one(ctx.body.back));
      const model = { back, roles: STAFF_ROLES, role, subject };
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
      ctx.signIn({ subject: result.data.devSignIn.subject, role: role as StaffRole, method: 'dev', apiToken: result.data.devSignIn.token });
      return { redirect: back };
    },
  },
];
