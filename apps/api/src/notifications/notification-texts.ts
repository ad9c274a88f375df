import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root';
import { NOTIFICATION_LANGUAGES, type NotificationLanguage, type NotificationParams } from './notification-store.port';

type Catalogue = { readonly intl: string; readonly messages: Readonly<Record<string, string>> };

/** The e-mails' words, one catalogue per language (`locales/<lang>.json`, same keys and placeholders). */
export const EMAIL_CATALOGUES: ReadonlyMap<NotificationLanguage, Catalogue> = new Map(
  NOTIFICATION_LANGUAGES.map((lang) => {
    const { _meta, ...tree } = JSON.parse(
      readFileSync(join(projectRoot(), 'apps', 'api', 'src', 'notifications', 'locales', `${lang}.json`), 'utf8'),
    ) as { _meta: { intl: string } } & Record<string, Record<string, string>>;
    const messages: Record<string, string> = {};
    for (const [group, strings] of Object.entries(tree))
      for (const [key, text] of Object.entries(strings)) messages[`${group}.${key}`] = text;
    return [lang, { intl: _meta.intl, messages }] as const;
  }),
);

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
}

/**
 * One e-mail in a language. Parameters are formatted here, through Intl (Bengali digits and
 * dates in Bengali): a name ending in `Pence` is money in pounds, one ending in `At` is an
 * instant shown in `timeZone`, `number`s are numbers; everything else is shown as given.
 * Codes to type (sign-in, receipts) are given as strings, so they stay in the digits people type.
 * A part of a text in `[[…]]` is left out when a value it names is not given (a survivor of a
 * merge that has no number yet).
 */
export function renderMail(
  lang: NotificationLanguage,
  kind: string,
  params: NotificationParams,
  options: { footer?: string; timeZone?: string } = {},
): RenderedMail {
  const catalogue = EMAIL_CATALOGUES.get(lang) ?? EMAIL_CATALOGUES.get('en')!;
  const money = new Intl.NumberFormat(catalogue.intl, { style: 'currency', currency: 'GBP' });
  const number = new Intl.NumberFormat(catalogue.intl);
  const date = new Intl.DateTimeFormat(catalogue.intl, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: options.timeZone ?? 'Europe/London',
  });
  const formatted: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('Pence')) formatted[name.slice(0, -'Pence'.length)] = money.format(Number(value) / 100);
    else if (name.endsWith('At')) formatted[name] = date.format(new Date(String(value)));
    else formatted[name] = typeof value === 'number' ? number.format(value) : value;
  }
  const fill = (key: string) => {
    const template = catalogue.messages[key] ?? EMAIL_CATALOGUES.get('en')!.messages[key];
    if (template === undefined) throw new Error(`no e-mail text ${key}`);
    return template
      .replace(/\[\[(.*?)\]\]/gs, (_whole, part: string) => (placeholders(part).every((name) => name in formatted) ? part : ''))
      .replace(/\{(\w+)\}/g, (whole, name: string) => formatted[name] ?? whole);
  };
  const text = fill(`${kind}.text`);
  return { subject: fill(`${kind}.subject`), text: options.footer ? `${text}\n\n--\n${fill(options.footer)}\n` : `${text}\n` };
}
