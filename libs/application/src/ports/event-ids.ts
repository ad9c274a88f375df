import { hash } from 'node:crypto';
import { parse as uuidParse } from 'uuid';

/** The namespace of civic-ledger's deterministic event ids (a fixed random UUID). */
const EVENT_ID_NAMESPACE = '6f1d3c52-9a47-4e0b-8d0e-3b2a51c7e9f4';

/** The namespace's bytes, followed by the name's UTF-8 bytes: what a version-5 UUID hashes. */
const NAMESPACE_BYTES = Buffer.from(uuidParse(EVENT_ID_NAMESPACE));

/**
 * A version-5 UUID (RFC 9562 §5.5: SHA-1 of namespace and name, version and variant bits set),
 * the same ids as the `uuid` package's `v5` gave: one native hash of one buffer, as a
 * register's import derives two ids per row and the package's hashing cost twice as much.
 */
const idOf = (name: string): string => {
  const digest = hash('sha1', Buffer.concat([NAMESPACE_BYTES, Buffer.from(name, 'utf8')]), 'buffer');
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

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
