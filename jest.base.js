// Shared jest settings: ts-jest with the tsconfig path aliases (@civic/*).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // End-to-end suites start real servers in their hooks: on a loaded two-core machine that can take
  // longer than jest's 5 s default, which then fails them for the machine's load, not for a defect.
  testTimeout: 30_000,
};
