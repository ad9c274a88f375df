import type { PageRoute, WebApp } from '../web-app';
import { PageRefused } from '../web-app';
import { DATASETS, isDataset, OPEN_DATA_LICENCE, openDataCsv, openDataJson, openDataRows } from './open-data';

/**
 * The open data feed: every published result, proposal, tally and delivery record, as JSON
 * and CSV, read through the same GraphQL operations as the pages (so the embargo holds), and
 * a page that documents the fields and the licence.
 */
export const openDataRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/open-data',
    access: 'public',
    handle: async (ctx) => ({
      view: 'pages/transparency/open-data.njk',
      model: {
        licence: OPEN_DATA_LICENCE,
        datasets: Object.entries(DATASETS).map(([name, fields]) => ({
          name,
          title: ctx.t(`openData.datasets.${name}.title`),
          body: ctx.t(`openData.datasets.${name}.body`),
          fields: fields.map((f) => ({ name: f, text: ctx.t(`openData.fields.${f}`) })),
          json: `/open-data/${name}.json`,
          csv: `/open-data/${name}.csv`,
        })),
        backLink: '/',
      },
    }),
  },
  {
    method: 'GET',
    url: '/open-data/:file',
    access: 'public',
    handle: async (ctx) => {
      const [, dataset, format] = /^(\w+)\.(json|csv)$/.exec(ctx.params.file) ?? [];
      if (!dataset || !isDataset(dataset)) throw new PageRefused(404);
      const rows = await openDataRows(ctx, dataset);
      const source = `${ctx.req.protocol}://${ctx.req.headers.host ?? 'localhost'}/open-data/${dataset}.${format}`;
      const text = format === 'json' ? openDataJson(dataset, rows, source) : openDataCsv(dataset, rows);
      return {
        download: {
          filename: `${dataset}.${format}`,
          contentType: format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
          body: (async function* () {
            yield text;
          })(),
        },
      };
    },
  },
];
