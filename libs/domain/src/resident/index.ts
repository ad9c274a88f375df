export * from './eligibility';
export * from './personal-data';
export * from './reference';
export * from './register-rows';
export * from './resident';
