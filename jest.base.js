// Shared jest settings: SWC-compiled TypeScript with the tsconfig path aliases (@civic/*).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // SWC strips the types (the type check is `npm run typecheck`): a third less CPU than ts-jest over
  // the suite, which CI's time limit needs. Nest's injection reads decorator metadata, hence
  // legacyDecorator + decoratorMetadata, as tsconfig's experimentalDecorators/emitDecoratorMetadata.
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // End-to-end suites start real servers in their hooks: on a loaded two-core machine that can take
  // longer than jest's 5 s default, which then fails them for the machine's load, not for a defect.
  testTimeout: 30_000,
};
