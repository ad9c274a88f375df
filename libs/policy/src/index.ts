/**
 * The embargo: who may see which data in which phase of a fund, as one table
 * ({@link EMBARGO}) and the functions every path asks. Pure TypeScript, no I/O.
 */
export * from './embargo-table';
export * from './redact-event';
export * from './render-table';
