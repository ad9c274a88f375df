export * from './postgres-event-store';
export { InvalidSchemaNameError, MAX_SCHEMA_NAME } from './schema/schema-name';
export { decodePosition, encodePosition } from './position';
export { ChannelListener } from './notify/listener';
