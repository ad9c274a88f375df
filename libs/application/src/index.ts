/**
 * @civic/application: the use cases. `@nestjs/cqrs` handlers that load streams, decide with
 * the pure deciders of `@civic/domain`, and append with the expected revision.
 */
export * from './allocation/allocation-inputs';
export * from './allocation/compute-allocation';
export * from './allocation/line-explanations';
export * from './allocation/get-pot-results';
export * from './allocation/run-allocation-command';
export * from './application.module';
export * from './ballot/get-my-eligibility';
export * from './ballot/run-ballot-command';
export * from './ballot/postgres-voting-gate';
export * from './ballot/voting-gate';
export * from './ballot/voter-pseudonym';
export * from './command-handling/command-input';
export * from './command-handling/command-message';
export * from './command-handling/command-runtime';
export * from './command-handling/handle-command';
export * from './command-handling/load-stream';
export * from './command-handling/stored-events';
export * from './delivery/run-delivery-command';
export * from './fund/run-fund-command';
export * from './import/import-pabulib';
export * from './fund/run-wards-command';
export * from './paper-batch/enter-paper-batch';
export * from './paper-batch/correct-refused-entry';
export * from './paper-batch/run-paper-batch-command';
export * from './ports';
export * from './proposal/merge-duplicates';
export * from './proposal/run-proposal-command';
export * from './reading/platform-reader';
export * from './reading/read-category';
export * from './personal-data/aes-gcm';
export * from './personal-data/in-memory-personal-data-vault';
export * from './personal-data/keyed-vault';
export * from './personal-data/postgres-personal-data-vault';
export * from './personal-data/sqlite-personal-data-vault';
export * from './resident/finish-erasures';
export * from './resident/import-register';
export * from './resident/register-csv';
export * from './resident/run-resident-command';
