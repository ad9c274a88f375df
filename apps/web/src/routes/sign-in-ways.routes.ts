import { addError, noErrors, one, refusalsToErrors } from '../forms/errors';
import { REDEEM_SIGN_IN, REQUEST_SIGN_IN_CODE, SIGN_IN_WITH_CODE, SIGN_IN_WITH_POLL_CARD } from '../graphql/signin.operations';
import type { ApiRefusal } from '../graphql/operation';
import { PageRefused, type PageContext, type PageResult, type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';
import { safeBack, signInPage } from './sign-in.routes';

/** The refusals of a sign-in that the form shows at its field (the rest are pages of their own). */
const atField = (ctx: PageContext, errors: readonly ApiRefusal[], field: string) => {
  // A code's own rate limit is the resident's to read at the field, not a page of its own.
  if (errors[0]?.code !== 'RATE_LIMITED') refuseUnlessFormError(errors);
  return refusalsToErrors(
    ctx,
    errors.map(({ code, message, params }) => ({ code, message, params })),
    {},
    field,
  );
};

const codePage = (model: Record<string, unknown>, status?: number): PageResult => ({ view: 'pages/sign-in-code.njk', status, model });

/**
 * The residents' real ways of signing in, each only when the configuration switches it on:
 * a code e-mailed to the address on the register (two steps: the address or reference, then
 * the code), the printed voting code of the poll card, and the citizen OpenID provider (its
 * callback comes back to `/sign-in/return` with a one-time code the page redeems server-side).
 */
export const signInWayRoutes = (web: WebApp): PageRoute[] => [
  {
    method: 'POST',
    url: '/sign-in/email',
    access: 'public',
    handle: async (ctx) => {
      if (!web.signInWays.emailCode) throw new PageRefused(404);
      const identifier = one(ctx.body.identifier).trim();
      const back = safeBack(one(ctx.body.back));
      const refuse = (text: string) => signInPage(web, { back, identifier, errors: addError(noErrors(), 'identifier', text) }, 400);
      if (!identifier) return refuse(ctx.t('signIn.email.errors.empty'));
      if (identifier.length > 254) return refuse(ctx.t('signIn.email.errors.tooLong'));
      const result = await ctx.gql(REQUEST_SIGN_IN_CODE, { identifier });
      if (!result.ok) return signInPage(web, { back, identifier, errors: atField(ctx, result.errors, 'identifier') }, 400);
      // The same answer whether or not the address is on the register: the page never says.
      return codePage({ back, challenge: result.data.requestSignInCode!.challenge, code: '' });
    },
  },
  {
    method: 'POST',
    url: '/sign-in/email/code',
    access: 'public',
    handle: async (ctx) => {
      if (!web.signInWays.emailCode) throw new PageRefused(404);
      const challenge = one(ctx.body.challenge).slice(0, 200);
      const code = one(ctx.body.code).replace(/\s+/g, '');
      const back = safeBack(one(ctx.body.back));
      const model = { back, challenge, code };
      if (!/^\d{6}$/.test(code))
        return codePage(
          { ...model, errors: addError(noErrors(), 'code', ctx.t(code ? 'signIn.email.errors.format' : 'signIn.email.errors.code')) },
          400,
        );
      const result = await ctx.gql(SIGN_IN_WITH_CODE, { challenge, code });
      if (!result.ok) return codePage({ ...model, code: '', errors: atField(ctx, result.errors, 'code') }, 400);
      const signedIn = result.data.signInWithCode!;
      ctx.signIn({ subject: signedIn.subject, role: 'resident', method: 'email', apiToken: signedIn.token });
      return { redirect: back };
    },
  },
  {
    method: 'POST',
    url: '/sign-in/poll-card',
    access: 'public',
    handle: async (ctx) => {
      if (!web.signInWays.pollCard) throw new PageRefused(404);
      const pollReference = one(ctx.body.pollReference).trim();
      // Typed in any case, with or without dashes or spaces: the API normalises it.
      const code = one(ctx.body.pollCode).trim();
      const back = safeBack(one(ctx.body.back));
      let errors = noErrors();
      if (!pollReference) errors = addError(errors, 'pollReference', ctx.t('signIn.pollCard.errors.reference'));
      else if (pollReference.length > 128) errors = addError(errors, 'pollReference', ctx.t('signIn.errors.tooLong'));
      if (!code) errors = addError(errors, 'pollCode', ctx.t('signIn.pollCard.errors.code'));
      else if (code.length > 64) errors = addError(errors, 'pollCode', ctx.t('signIn.pollCard.errors.format'));
      if (errors.summary.length) return signInPage(web, { back, pollReference, errors }, 400);
      const result = await ctx.gql(SIGN_IN_WITH_POLL_CARD, { reference: pollReference, code });
      if (!result.ok) return signInPage(web, { back, pollReference, errors: atField(ctx, result.errors, 'pollCode') }, 400);
      const signedIn = result.data.signInWithPollCard!;
      ctx.signIn({ subject: signedIn.subject, role: 'resident', method: 'pollcard', apiToken: signedIn.token });
      return { redirect: back };
    },
  },
  {
    method: 'GET',
    url: '/sign-in/return',
    access: 'public',
    handle: async (ctx) => {
      const back = safeBack(ctx.query.back);
      const refused = (code: string) => ({ redirect: `/sign-in?error=${encodeURIComponent(code)}&back=${encodeURIComponent(back)}` });
      const code = one(ctx.query.signin);
      if (!code) return refused(one(ctx.query.error) || 'AUTH.SIGN_IN_FAILED');
      const result = await ctx.gql(REDEEM_SIGN_IN, { code: code.slice(0, 64) });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return refused(result.errors[0]?.code ?? 'AUTH.SIGN_IN_FAILED');
      }
      const signedIn = result.data.redeemSignIn!;
      // A staff member's provider session never becomes a resident's web session here.
      if (signedIn.role !== 'resident') return refused('AUTH.FORBIDDEN');
      ctx.signIn({ subject: signedIn.subject, role: 'resident', method: 'oidc', apiToken: signedIn.token });
      return { redirect: back };
    },
  },
];
