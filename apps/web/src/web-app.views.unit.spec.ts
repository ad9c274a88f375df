import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { projectRoot } from '@civic/platform';
import { WebApp } from './web-app';

const root = projectRoot();

const webApp = () =>
  new WebApp({} as FastifyInstance, {
    root,
    localeDirs: [join(root, 'apps', 'web', 'locales')],
    sessions: {} as never,
    secure: false,
    production: false,
    assets: { css: '/app.css', js: '/app.js' },
    graphql: async () => ({ status: 200, body: '{}' }),
  });

const confirmation = (pot: string, code: string) => ({
  fund: { id: 'f' },
  pot: { name: pot },
  code,
  checkHref: `/receipt?code=${code}`,
  closesAt: 'Sunday 3 January at 10pm',
  choices: ['Play street (No. 6)'],
  points: [],
  voteHref: '/funds/f/pots/p/vote',
  csrfToken: 'token',
  principal: { role: 'resident', subject: 'TH-800001', method: 'development' },
});

describe('the views', () => {
  it('render GOV.UK components imported once exactly as Nunjucks renders them importing at every call', () => {
    const web = webApp();
    const req = { url: '/funds/f/pots/p/vote/done' } as FastifyRequest;
    // The same loader paths, without importing once: what every page looked like before.
    const plain = new nunjucks.Environment(
      new nunjucks.FileSystemLoader([join(root, 'apps', 'web', 'views'), join(root, 'node_modules', 'govuk-frontend', 'dist')]),
      { autoescape: true, throwOnUndefined: false },
    );
    plain.addFilter('min', (values: number[]) => Math.min(...values));
    plain.addFilter('max', (values: number[]) => Math.max(...values));
    for (const [pot, code, lang] of [
      ['Mile End pot', 'ABCD-EFGH-IJKL-M', 'en'],
      ['Bow <east>', 'ZZZZ-YYYY-XXXX-W', 'bn'],
      ['Mile End pot', 'ABCD-EFGH-IJKL-M', 'en'],
    ]) {
      const ours = web.render('pages/vote-done.njk', confirmation(pot, code), lang, req, 'nonce');
      const theirs = renderWith(web, plain, 'pages/vote-done.njk', confirmation(pot, code), lang, req);
      expect(ours).toBe(theirs);
      expect(ours).toContain(code);
      expect(ours).toContain(pot.replace('<', '&lt;').replace('>', '&gt;'));
      expect(ours).toContain('govuk-panel__title');
      expect(ours).toContain('govuk-skip-link');
    }
  });

  it("write GOV.UK's skip link and confirmation panel exactly as the GOV.UK macros write them", () => {
    const web = webApp();
    const req = { url: '/funds/f/pots/p/vote/done' } as FastifyRequest;
    const govuk = new nunjucks.Environment(new nunjucks.FileSystemLoader(join(root, 'node_modules', 'govuk-frontend', 'dist')), {
      autoescape: true,
    });
    for (const [pot, lang] of [
      ['Bow <east> & "west"', 'en'],
      ['Mile End', 'bn'],
    ]) {
      const page = web.render('pages/vote-done.njk', confirmation(pot, 'ABCD-EFGH-IJKL-M'), lang, req, 'nonce');
      const macro = (name: string, file: string, params: Record<string, unknown>) =>
        govuk.renderString(`{% from "govuk/components/${file}/macro.njk" import ${name} %}{{ ${name}(params) }}`, { params });
      const skipLink = macro('govukSkipLink', 'skip-link', { text: web.t(lang, 'common.skipToContent'), href: '#main-content' });
      const panel = macro('govukPanel', 'panel', {
        titleText: web.t(lang, 'done.heading'),
        html: escapeHtml(web.t(lang, 'done.panel', { pot })),
      });
      expect(page).toContain(`</script>\n  ${skipLink}\n  <header`);
      expect(page).toContain(`<div class="govuk-grid-column-two-thirds">\n${panel}`);
    }
  });

  it('run a GOV.UK macro file once, not at every import', () => {
    const web = webApp();
    const req = { url: '/funds/f/pots/p/vote/done' } as FastifyRequest;
    // Not in the library's typings: what an import runs.
    const template = nunjucks.Template.prototype as unknown as { getExported(...args: unknown[]): unknown };
    const runs = jest.spyOn(template, 'getExported');
    try {
      const macroFilesRun = () =>
        runs.mock.contexts.filter((tmpl: unknown) => String((tmpl as { path?: string }).path).includes('govuk-frontend')).length;
      web.render('pages/vote-done.njk', confirmation('Mile End pot', 'ABCD-EFGH-IJKL-M'), 'en', req, 'nonce');
      expect(macroFilesRun()).toBeGreaterThan(0);
      runs.mockClear();
      web.render('pages/vote-done.njk', confirmation('Bow', 'ZZZZ-YYYY-XXXX-W'), 'en', req, 'nonce');
      expect(macroFilesRun()).toBe(0);
    } finally {
      runs.mockRestore();
    }
  });

  it('give each page the language switch of its own path and language, and its own nonce and model', () => {
    const web = webApp();
    const page = (url: string, lang: string, nonce: string, code: string) =>
      web.render('pages/vote-done.njk', confirmation('Mile End pot', code), lang, { url } as FastifyRequest, nonce);
    const switchOf = (html: string) => [...html.matchAll(/href="(\/language\?[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    const current = (html: string) => /council-languages__current" aria-current="true" lang="(\w+)"/.exec(html)?.[1];
    const a = '/funds/f/pots/p/vote/done';
    const b = '/funds/f/pots/q/vote/done?x=1&y=2';
    const first = page(a, 'en', 'nonce-1', 'AAAA-AAAA-AAAA-A');
    const other = page(b, 'en', 'nonce-2', 'BBBB-BBBB-BBBB-B');
    const again = page(a, 'en', 'nonce-3', 'CCCC-CCCC-CCCC-C');
    const bengali = page(a, 'bn', 'nonce-4', 'DDDD-DDDD-DDDD-D');
    expect(switchOf(first)).toEqual([`/language?to=bn&back=${encodeURIComponent(a)}`]);
    expect(switchOf(other)).toEqual([`/language?to=bn&back=${encodeURIComponent(b)}`]);
    expect(switchOf(again)).toEqual(switchOf(first));
    expect(switchOf(bengali)).toEqual([`/language?to=en&back=${encodeURIComponent(a)}`]);
    expect([first, bengali].map(current)).toEqual(['en', 'bn']);
    expect(bengali).toContain('lang="bn"');
    for (const [html, nonce, code] of [
      [first, 'nonce-1', 'AAAA-AAAA-AAAA-A'],
      [again, 'nonce-3', 'CCCC-CCCC-CCCC-C'],
    ]) {
      expect(html).toContain(`nonce="${nonce}"`);
      expect(html).toContain(code);
    }
    expect(again).not.toContain('nonce-1');
    expect(again).not.toContain('AAAA-AAAA-AAAA-A');
  });
});

/** What Nunjucks's `escape` filter gives for text (the page escapes the panel's text so before the macro marks it safe). */
const escapeHtml = (text: string) =>
  text.replace(/[&"'<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;' })[c]!);

/** The web app's render with another environment in place of its own. */
function renderWith(
  web: WebApp,
  views: nunjucks.Environment,
  view: string,
  model: Record<string, unknown>,
  lang: string,
  req: FastifyRequest,
): string {
  const own = web as unknown as { views: nunjucks.Environment };
  const kept = own.views;
  own.views = views;
  try {
    return web.render(view, model, lang, req, 'nonce');
  } finally {
    own.views = kept;
  }
}
