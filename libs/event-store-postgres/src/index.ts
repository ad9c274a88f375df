export * from './postgres-event-store';
export { decodePosition, encodePosition } from './position';
