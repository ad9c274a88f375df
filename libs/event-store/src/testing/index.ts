export * from './contract-suite';
