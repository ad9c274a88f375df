import { addError, noErrors, one, refusalsToErrors } from '../forms/errors';
import { END_KIOSK, KIOSK, SIGN_IN_AT_KIOSK, START_KIOSK } from '../graphql/kiosk.operations';
import { FUND, FUNDS, SIGN_OUT } from '../graphql/operations';
import type { StaffRole } from '../setup/page-guard';
import type { KioskDevice } from '../setup/web-sessions/web-session';
import { dataOr404, type PageContext, PageRefused, type PageResult, type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';
import { sortPots } from './fund-words';

/** Who may switch a device to kiosk mode and back: the officers who also enter paper ballots. */
const OFFICERS: { readonly staff: readonly StaffRole[] } = { staff: ['reviewer', 'councillor', 'administrator'] };
/** The longest place name the API takes. */
const MAX_PLACE = 200;

const voteHref = (fundId: string, potId: string) => `/funds/${encodeURIComponent(fundId)}/pots/${encodeURIComponent(potId)}/vote`;

/** The form of an officer switching the device on: the funds open for voting, and the place. */
async function startPage(ctx: PageContext, form: { fundId: string; place: string; errors?: ReturnType<typeof noErrors> }, status?: number) {
  const { funds } = dataOr404(await ctx.gql(FUNDS, {}));
  const open = funds.filter((f) => f.phase === 'voting_open');
  return {
    view: 'pages/kiosk/start.njk',
    status,
    model: { ...form, funds: open.map((f) => ({ value: f.id, text: f.name, checked: f.id === form.fundId || open.length === 1 })) },
  } satisfies PageResult;
}

/** The kiosk's start page, where each resident signs in with their poll card. */
async function welcomePage(
  ctx: PageContext,
  kiosk: KioskDevice,
  form: { pollReference?: string; errors?: ReturnType<typeof noErrors>; expired?: boolean },
  status?: number,
): Promise<PageResult> {
  const found = await ctx.gql(FUND, { id: kiosk.fundId });
  const fundName = found.ok ? (found.data.fund?.name ?? '') : '';
  return {
    view: 'pages/kiosk/welcome.njk',
    status,
    model: { pollReference: '', ...form, place: kiosk.place, fundName },
  };
}

/**
 * After a ballot at a kiosk: the resident's receipt code, then the start page for the next one.
 * The API has ended the resident's session with the ballot; here the device leaves it too.
 */
export function kioskVoted(ctx: PageContext, code: string | null | undefined): PageResult {
  if (ctx.kiosk) ctx.enterKiosk(ctx.kiosk);
  return { view: 'pages/kiosk/voted.njk', model: { code } };
}

/**
 * Assisted voting at a library or community centre. An officer signed in on the device switches
 * it to kiosk mode for a fund and a place; the officer's own session ends there, so nothing on
 * the device acts as the officer. Each resident then signs in at the kiosk's start page with
 * their poll card and votes; the session ends with the ballot, after two minutes idle (a meta
 * refresh without JavaScript, a countdown that offers more time with it), or at sign-out, and
 * the device is back at the start page. Ending kiosk mode takes the officer signing in again.
 */
export const kioskRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/kiosk/start',
    access: OFFICERS,
    menu: { label: 'kiosk.menu.start', hint: 'kiosk.menu.startHint', group: 'voting' },
    handle: async (ctx) => startPage(ctx, { fundId: one(ctx.query.fundId), place: '' }),
  },
  {
    method: 'POST',
    url: '/kiosk/start',
    access: OFFICERS,
    handle: async (ctx) => {
      const fundId = one(ctx.body.fundId);
      const place = one(ctx.body.place).trim();
      let errors = noErrors();
      if (!fundId) errors = addError(errors, 'fundId', ctx.t('kiosk.start.errors.fund'));
      if (!place) errors = addError(errors, 'place', ctx.t('kiosk.start.errors.place'));
      else if (place.length > MAX_PLACE) errors = addError(errors, 'place', ctx.t('kiosk.start.errors.placeTooLong', { max: MAX_PLACE }));
      if (errors.summary.length) return startPage(ctx, { fundId, place, errors }, 400);
      const result = await ctx.gql(START_KIOSK, { fundId, place });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return startPage(ctx, { fundId, place, errors: refusalsToErrors(ctx, result.errors, { 'INPUT.INVALID': 'place' }, 'fundId') }, 400);
      }
      const { device, kiosk } = result.data.startKiosk!;
      // The officer's session ends here: the device holds only the kiosk's token from now on.
      await ctx.gql(SIGN_OUT, {});
      ctx.enterKiosk({ kioskId: kiosk.kioskId, fundId: kiosk.fundId, place: kiosk.place, device });
      return { redirect: '/kiosk' };
    },
  },
  {
    method: 'GET',
    url: '/kiosk',
    access: 'public',
    handle: async (ctx) => {
      const kiosk = ctx.kiosk;
      if (!kiosk) return { view: 'pages/kiosk/off.njk', status: 404 };
      if (!dataOr404(await ctx.gql(KIOSK, { device: kiosk.device })).kiosk) {
        // Ended elsewhere (by an administrator, or on another device): out of kiosk mode.
        ctx.signOut();
        return { view: 'pages/kiosk/off.njk', status: 404 };
      }
      // The start page is nobody's: a resident still signed in here is signed out.
      if (ctx.principal?.method === 'kiosk') {
        await ctx.gql(SIGN_OUT, {}).catch(() => undefined);
        ctx.enterKiosk(kiosk);
      }
      return welcomePage(ctx, kiosk, { expired: ctx.query.expired === '1' });
    },
  },
  {
    method: 'POST',
    url: '/kiosk/sign-in',
    access: 'public',
    handle: async (ctx) => {
      const kiosk = ctx.kiosk;
      if (!kiosk) throw new PageRefused(404);
      const pollReference = one(ctx.body.pollReference).trim();
      const code = one(ctx.body.pollCode).trim();
      let errors = noErrors();
      if (!pollReference) errors = addError(errors, 'pollReference', ctx.t('signIn.pollCard.errors.reference'));
      else if (pollReference.length > 64) errors = addError(errors, 'pollReference', ctx.t('signIn.errors.tooLong'));
      if (!code) errors = addError(errors, 'pollCode', ctx.t('signIn.pollCard.errors.code'));
      else if (code.length > 64) errors = addError(errors, 'pollCode', ctx.t('signIn.pollCard.errors.format'));
      if (errors.summary.length) return welcomePage(ctx, kiosk, { pollReference, errors }, 400);
      const result = await ctx.gql(SIGN_IN_AT_KIOSK, { device: kiosk.device, reference: pollReference, code });
      if (!result.ok) {
        if (result.errors[0]?.code !== 'RATE_LIMITED') refuseUnlessFormError(result.errors);
        return welcomePage(ctx, kiosk, { pollReference, errors: refusalsToErrors(ctx, result.errors, {}, 'pollCode') }, 400);
      }
      const signedIn = result.data.signInAtKiosk!;
      ctx.signIn({ subject: signedIn.subject, role: 'resident', method: 'kiosk', apiToken: signedIn.token });
      return { redirect: '/kiosk/vote' };
    },
  },
  {
    method: 'GET',
    url: '/kiosk/vote',
    access: 'resident',
    handle: async (ctx) => {
      const kiosk = ctx.kiosk;
      if (!kiosk || ctx.principal?.method !== 'kiosk') return { redirect: '/kiosk' };
      const fund = dataOr404(await ctx.gql(FUND, { id: kiosk.fundId })).fund;
      if (!fund) throw new PageRefused(404);
      const pots = sortPots(fund.pots);
      if (pots.length === 1) return { redirect: voteHref(fund.id, pots[0].id) };
      return {
        view: 'pages/kiosk/pots.njk',
        model: { fund, pots: pots.map((pot) => ({ name: pot.name, href: voteHref(fund.id, pot.id) })) },
      };
    },
  },
  {
    method: 'GET',
    url: '/kiosk/end',
    access: OFFICERS,
    handle: async (ctx) => {
      if (!ctx.kiosk) return { view: 'pages/kiosk/off.njk', status: 404 };
      return { view: 'pages/kiosk/end.njk', model: { place: ctx.kiosk.place } };
    },
  },
  {
    method: 'POST',
    url: '/kiosk/end',
    access: OFFICERS,
    handle: async (ctx) => {
      const kiosk = ctx.kiosk;
      if (!kiosk) return { view: 'pages/kiosk/off.njk', status: 404 };
      const result = await ctx.gql(END_KIOSK, { device: kiosk.device });
      if (!result.ok && result.errors[0]?.code !== 'KIOSK.NOT_ACTIVE') {
        refuseUnlessFormError(result.errors);
        return {
          view: 'pages/kiosk/end.njk',
          status: 403,
          model: { place: kiosk.place, errors: refusalsToErrors(ctx, result.errors, {}, 'end') },
        };
      }
      ctx.leaveKiosk();
      return { redirect: '/staff?kioskEnded=1' };
    },
  },
];
