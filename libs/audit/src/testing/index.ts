export * from './history';
export * from './test-keys';
export * from './strip-chain';
export * from './sqlite-tamper';
