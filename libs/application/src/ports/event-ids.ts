import { parse as uuidParse, v5 as uuidv5 } from 'uuid';

/** The namespace of civic-ledger's deterministic event ids (a fixed random UUID). */
const EVENT_ID_NAMESPACE = '6f1d3c52-9a47-4e0b-8d0e-3b2a51c7e9f4';

/**
 * The namespace as bytes, parsed once, and names given as UTF-8 bytes: the same ids as passing
 * both as strings, without the library parsing the namespace and encoding the name by hand on
 * every call (a register's import derives two ids per row).
 */
const NAMESPACE_BYTES = uuidParse(EVENT_ID_NAMESPACE);
const idOf = (name: string): string => uuidv5(Buffer.from(name, 'utf8'), NAMESPACE_BYTES);

/**
 * The id of the `index`-th event a command produces: the same command id always gives the
 * same event ids, so a retried append is recognised by the store and written once.
 */
export const eventIdFor = (commandId: string, index: number): string => idOf(`${commandId}#${index}`);

/** A command id derived from a parent command, e.g. one per row of an imported register. */
export const childCommandId = (commandId: string, part: string): string => idOf(`${commandId}/${part}`);

/**
 * The id of a new record (a fund, a pot, a proposal, a paper batch, a milestone, a spend) that
 * the client did not name: derived from the command id, so a retry names the same record and
 * is recognised as the retry it is, on every store, rather than creating a second record.
 */
export const newRecordId = (commandId: string, kind: string): string => idOf(`${commandId}/new:${kind}`);
