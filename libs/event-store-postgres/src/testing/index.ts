export * from './pg-test-db';
