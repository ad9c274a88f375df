#!/usr/bin/env node
/**
 * `npm start`: runs the API as compiled by `nest build api` into dist/, with the @civic/*
 * aliases of tsconfig.json mapped onto the compiled libraries (the lazy imports of the store
 * adapters are not rewritten by the build). Compiled, not through ts-node: ts-node loads
 * Node's REPL, which loads the deprecated `domain` module, and that wraps every event emitted
 * and every callback of the process.
 */
const { join } = require('node:path');
const { compilerOptions } = require('../tsconfig.json');

require('tsconfig-paths').register({ baseUrl: join(__dirname, '..', 'dist'), paths: compilerOptions.paths });
require('../dist/apps/api/src/main.js');
