/**
 * @civic/allocation: participatory-budgeting allocation rules that match the research
 * reference (pabutools 1.2.3) exactly, on exact BigInt rationals, and the pabulib file format.
 * Pure: no framework, no I/O except reading and writing .pb files.
 */
export * from './browser';
export { readPabulibFile } from './pabulib/read-file';
