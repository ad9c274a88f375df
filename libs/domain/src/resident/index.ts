export * from './eligibility';
export * from './reference';
export * from './register-csv';
export * from './resident';
