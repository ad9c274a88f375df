// `npm run test:postgres`: the contract and integration suites against a real PostgreSQL
// (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
const base = require('./jest.base');

module.exports = { ...base, testRegex: '.*\\.pg\\.spec\\.ts$' };
