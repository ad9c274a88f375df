import { v5 as uuidv5 } from 'uuid';

/** The namespace of civic-ledger's deterministic event ids (a fixed random UUID). */
const EVENT_ID_NAMESPACE = '6f1d3c52-9a47-4e0b-8d0e-3b2a51c7e9f4';

/**
 * The id of the `index`-th event a command produces: the same command id always gives the
 * same event ids, so a retried append is recognised by the store and written once.
 */
export const eventIdFor = (commandId: string, index: number): string => uuidv5(`${commandId}#${index}`, EVENT_ID_NAMESPACE);

/** A command id derived from a parent command, e.g. one per row of an imported register. */
export const childCommandId = (commandId: string, part: string): string => uuidv5(`${commandId}/${part}`, EVENT_ID_NAMESPACE);

/**
 * The id of a new record (a fund, a pot, a proposal, a paper batch, a milestone, a spend) that
 * the client did not name: derived from the command id, so a retry names the same record and
 * is recognised as the retry it is, on every store, rather than creating a second record.
 */
export const newRecordId = (commandId: string, kind: string): string => uuidv5(`${commandId}/new:${kind}`, EVENT_ID_NAMESPACE);
