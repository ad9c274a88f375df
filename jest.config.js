// `npm test`: every test that needs no outside server (SQLite files, in-memory, local HTTP).
// Browser tests (*.browser.spec.ts) run through `npm run test:browser`.
// Suites that need PostgreSQL or EventStoreDB are named *.pg.spec.ts / *.esdb.spec.ts and run
// through `npm run test:postgres` / `npm run test:eventstoredb`.
const base = require('./jest.base');

module.exports = {
  ...base,
  testRegex: '.*\\.spec\\.ts$',
  testPathIgnorePatterns: [...base.testPathIgnorePatterns, '\\.pg\\.spec\\.ts$', '\\.esdb\\.spec\\.ts$', '\\.browser\\.spec\\.ts$'],
};
