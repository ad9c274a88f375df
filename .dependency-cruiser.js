/**
 * The architecture's import boundaries (`npm run lint:boundaries`, also run by `npm test`):
 * the domain, the allocation rules and the embargo policy are pure TypeScript; the port knows no adapter;
 * no library imports an app; the web app reads data only through GraphQL.
 */
const PURE = '(^|/)libs/(domain|allocation|policy)/';
/** The scripts bundled for the browser (scripts/verify-bundles.js). */
const BROWSER_SCRIPTS = '(^|/)apps/web/assets/';
const FRAMEWORK_AND_IO = [
  '(^|/)node_modules/@nestjs/',
  '(^|/)node_modules/(better-sqlite3|pg|pg-[a-z-]+|@eventstore|@kurrent|express|@apollo|graphql)/',
  '(^|/)libs/(event-store|event-store-[a-z]+|application|platform|config)/',
  '(^|/)apps/',
];

module.exports = {
  forbidden: [
    {
      name: 'pure-core-has-no-framework-or-io',
      comment:
        'The domain and the allocation library take commands and data in and give events and results out: no Nest, no store, no app.',
      severity: 'error',
      from: { path: PURE },
      to: { path: FRAMEWORK_AND_IO },
    },
    {
      name: 'domain-is-not-imported-by-allocation',
      comment: 'The allocation library is independent of the platform: it is also a research tool.',
      severity: 'error',
      from: { path: '(^|/)libs/allocation/' },
      to: { path: '(^|/)libs/domain/' },
    },
    {
      name: 'port-knows-no-adapter',
      severity: 'error',
      from: { path: '(^|/)libs/event-store/' },
      to: { path: ['(^|/)libs/event-store-[a-z]+/', '(^|/)node_modules/(better-sqlite3|pg|@eventstore)/'] },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '(^|/)libs/' },
      to: { path: '(^|/)apps/' },
    },
    {
      name: 'web-reads-only-through-graphql',
      comment:
        "The residents' pages read and write data only through the GraphQL schema (executed in process): no store, read model, use case, domain or API internals.",
      severity: 'error',
      from: { path: '(^|/)apps/web/', pathNot: BROWSER_SCRIPTS },
      to: {
        path: [
          '(^|/)apps/(api|cli)/',
          '(^|/)libs/(event-store|event-store-[a-z]+|application|projections|read-models|audit|domain|allocation)/',
        ],
      },
    },
    {
      name: 'browser-scripts-run-only-pure-code',
      comment:
        'The scripts run in the visitor’s browser: they may bundle the allocation rules’ browser entry, the pure certificate check and the pages’ GraphQL documents (checked against the schema), nothing that reads data or needs Node.',
      severity: 'error',
      from: { path: BROWSER_SCRIPTS },
      to: {
        path: '(^|/)(libs|apps)/',
        pathNot: [
          BROWSER_SCRIPTS,
          '(^|/)libs/allocation/src/(browser\\.ts|allocation\\.errors\\.ts|rational|election|tie-break|rules|pabulib/(parse|write|csv|pabulib\\.errors)\\.ts)',
          '(^|/)libs/audit/src/(certificate/(certificate|recompute-certificate)|hash/canonical-json)\\.ts$',
          '(^|/)apps/web/src/graphql/(operation|generated|[a-z-]+\\.operations)\\.ts$',
        ],
      },
    },
    {
      name: 'documents-only-lay-out',
      comment: 'The printable documents library lays out what it is given: no store, read model, use case or framework.',
      severity: 'error',
      from: { path: '(^|/)libs/documents/' },
      to: { path: [...FRAMEWORK_AND_IO, '(^|/)libs/(projections|read-models|audit|auth)/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
