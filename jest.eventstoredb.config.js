// `npm run test:eventstoredb`: the contract suite against a real EventStoreDB (EVENTSTOREDB_URL).
const base = require('./jest.base');

module.exports = { ...base, testRegex: '.*\\.esdb\\.spec\\.ts$' };
