import type { JsonObject, JsonValue } from '@civic/event-store';
import { eventHash } from '../hash/event-hash';
import type { AuditRow } from './audit-row';
import { HAS_LINK, HAS_PREVIOUS, HASH_OK, inspectPage } from './inspected-page';

const data = { picks: ['p1', 'p2'], pot: 'pot-1' };
const metadata = { actor: { pseudonym: 'v1', role: 'resident' }, schemaVersion: 1 };
const fields = { streamName: 'ballot-pot1-v1', revision: 1, id: '00000000-0000-4000-8000-000000000001', type: 'BallotReplaced' };
const previous = 'ab'.repeat(32);
const hash = eventHash({ ...fields, data, metadata, previous });
const chain = { hash, previous };

/** A row as a reader gives it, from stored texts. */
function row(dataJson: string, metadataJson: string): AuditRow {
  const parse = (text: string) => {
    try {
      return { value: JSON.parse(text) as JsonValue, text };
    } catch {
      return { value: text, text: undefined };
    }
  };
  const d = parse(dataJson);
  const m = parse(metadataJson);
  return { ...fields, position: '7', data: d.value, metadata: m.value as JsonObject, dataJson: d.text, metadataJson: m.text };
}

const flagsOf = (r: AuditRow) => inspectPage([r]).flags[0];

describe(inspectPage.name, () => {
  it('accepts the texts the ChainedEventStore writes, as stored', () => {
    expect(flagsOf(row(JSON.stringify(data), JSON.stringify({ ...metadata, chain })))).toBe(HAS_LINK | HAS_PREVIOUS | HASH_OK);
  });

  it('accepts the same event stored in any other JSON layout, by re-serialising it', () => {
    const spaced = JSON.stringify({ pot: 'pot-1', picks: ['p1', 'p2'] }, null, 2);
    const reordered = JSON.stringify({ chain, schemaVersion: 1, actor: { role: 'resident', pseudonym: 'v1' } });
    expect(flagsOf(row(spaced, reordered))).toBe(HAS_LINK | HAS_PREVIOUS | HASH_OK);
  });

  it('rejects altered content, and content that is not JSON', () => {
    expect(flagsOf(row(JSON.stringify({ ...data, pot: 'pot-2' }), JSON.stringify({ ...metadata, chain }))) & HASH_OK).toBe(0);
    expect(flagsOf(row(JSON.stringify(data), JSON.stringify({ ...metadata, schemaVersion: 2, chain }))) & HASH_OK).toBe(0);
    expect(flagsOf(row(`${JSON.stringify(data)},"x"`, JSON.stringify({ ...metadata, chain }))) & HASH_OK).toBe(0);
  });

  it('flags an event with no chain', () => {
    expect(flagsOf(row(JSON.stringify(data), JSON.stringify(metadata)))).toBe(0);
  });
});
