export * from './paper-batch';
