import { addError, noErrors, one, refusalsToErrors, type FormErrors } from '../forms/errors';
import { MY_NOTIFICATIONS, SET_MY_NOTIFICATIONS, type MyNotificationsData } from '../graphql/notifications.operations';
import { dataOr404, refuseUnlessFormError, type PageContext, type PageResult, type PageRoute, type WebApp } from '../web-app';

/** The languages the platform writes e-mails in. */
const EMAIL_LANGUAGES = ['en', 'bn'];

const view = (
  ctx: PageContext,
  choice: MyNotificationsData,
  extra: { errors?: FormErrors; saved?: boolean } = {},
  status?: number,
): PageResult => ({
  view: 'pages/notifications.njk',
  status,
  model: {
    choice,
    saved: extra.saved ?? false,
    errors: extra.errors,
    emailLanguages: EMAIL_LANGUAGES.map((code) => ({
      value: code,
      text: ctx.t(`notifications.language.${code}`),
      checked: code === choice.language,
    })),
  },
});

/**
 * "My e-mails": a signed-in resident chooses e-mails about voting (when it opens, a reminder
 * before it closes, the receipt of each vote) and the language of every e-mail to them. A
 * plain form: it works without JavaScript.
 */
export const notificationRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/notifications',
    access: 'resident',
    handle: async (ctx) => {
      const choice = dataOr404(await ctx.gql(MY_NOTIFICATIONS, {})).myNotifications;
      // Not chosen yet: the language of the page is the likeliest choice.
      const language = !choice.chosen && EMAIL_LANGUAGES.includes(ctx.lang) ? ctx.lang : choice.language;
      return view(ctx, { ...choice, language }, { saved: ctx.query.saved === '1' });
    },
  },
  {
    method: 'POST',
    url: '/notifications',
    access: 'resident',
    handle: async (ctx) => {
      const current = dataOr404(await ctx.gql(MY_NOTIFICATIONS, {})).myNotifications;
      const votingEmails = one(ctx.body.votingEmails) === 'yes';
      const language = one(ctx.body.language);
      const asked = { ...current, votingEmails, language };
      if (!EMAIL_LANGUAGES.includes(language))
        return view(ctx, asked, { errors: addError(noErrors(), 'language', ctx.t('notifications.errors.language')) }, 400);
      const result = await ctx.gql(SET_MY_NOTIFICATIONS, { input: { votingEmails, language } });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return view(ctx, asked, { errors: refusalsToErrors(ctx, result.errors, { 'INPUT.INVALID': 'language' }, 'votingEmails') }, 400);
      }
      return { redirect: '/notifications?saved=1' };
    },
  },
];
