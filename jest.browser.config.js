// `npm run test:browser`: journeys in Debian's chromium through playwright-core (never
// `npx playwright install`), against a real server on port 0. Not part of `npm test`.
const base = require('./jest.base');

module.exports = {
  ...base,
  testRegex: '.*\\.browser\\.spec\\.ts$',
  testTimeout: 180_000,
};
