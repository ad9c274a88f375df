import fc from 'fast-check';
import type { JsonObject, JsonValue } from '@civic/event-store';
import { canonicalJson } from '../../hash/canonical-json';
import { eventHash } from '../../hash/event-hash';
import { emptyPage, HAS_LINK, HAS_PREVIOUS, HASH_OK, inspectRow, type InspectedPage } from '../inspected-page';
import { inspectStoredRow, isOneValue, parsedRow, type StoredRow } from './sqlite-rows';

const id = '00000000-0000-4000-8000-000000000001';
const fields = { streamName: 'ballot-pot1-v1', revision: 1, id, type: 'BallotReplaced' };

/** A row as the ChainedEventStore stores it: canonical data, metadata with the chain last. */
function stored(data: JsonValue, metadata: JsonObject, previous: string | null): StoredRow {
  const hash = eventHash({ ...fields, data, metadata, previous });
  const metadataText = JSON.stringify({ ...(JSON.parse(canonicalJson(metadata)) as JsonObject), chain: { hash, previous } });
  return [7, id, fields.streamName, fields.revision, fields.type, canonicalJson(data), metadataText];
}

/** The same row through the general path: parsed, then re-serialised where needed. */
function general(row: StoredRow): InspectedPage {
  const page = emptyPage(1);
  inspectRow(page, 0, parsedRow(row));
  return page;
}

function fast(row: StoredRow): InspectedPage {
  const page = emptyPage(1);
  inspectStoredRow(page, 0, row);
  return page;
}

const same = (a: InspectedPage, b: InspectedPage) => {
  expect(a.flags).toEqual(b.flags);
  expect(a.hashes.equals(b.hashes)).toBe(true);
  expect(a.leaves.equals(b.leaves)).toBe(true);
  expect(a.streamKeys).toEqual(b.streamKeys);
  expect(a.positions).toEqual(b.positions);
};

describe(inspectStoredRow.name, () => {
  it('gives what the general path gives, for any data and metadata, stored as written or altered', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.option(fc.constant('ab'.repeat(32))),
        fc.nat(),
        (rawData, rawMetadata, previous, cut) => {
          const data = JSON.parse(JSON.stringify(rawData)) as JsonValue;
          const metadata = JSON.parse(JSON.stringify(rawMetadata)) as JsonObject;
          delete metadata.chain;
          const row = stored(data, metadata, previous);
          const page = fast(row);
          same(page, general(row));
          expect(page.flags[0]).toBe(HAS_LINK | HASH_OK | (previous === null ? 0 : HAS_PREVIOUS));
          // One character removed from the data or the metadata: both paths agree, and neither passes.
          for (const column of [5, 6] as const) {
            const text = row[column];
            const at = cut % text.length;
            const altered = [...row] as StoredRow;
            altered[column] = text.slice(0, at) + text.slice(at + 1);
            same(fast(altered), general(altered));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not take a cut of the data and metadata texts that keeps the hashed text but moves the border', () => {
    // The metadata holds `,"id":"<id>","metadata":`: moving the border past it keeps the text
    // the hash covers, but the stored data is no longer one JSON value.
    const data = { picks: ['p1'] };
    const metadata = { a: { b: 1, id, metadata: { c: 2 } } };
    const row = stored(data, metadata, null);
    const marker = `,"id":${JSON.stringify(id)},"metadata":`;
    const w = canonicalJson(metadata);
    const p = w.indexOf(marker);
    const chainMember = row[6].slice(row[6].lastIndexOf(',"chain":'));
    const longerData = [...row] as StoredRow;
    longerData[5] = `${row[5]}${marker}${w.slice(0, p)}`;
    longerData[6] = `${w.slice(p + marker.length, -1)}${chainMember}`;
    expect(fast(longerData).flags[0] & HASH_OK).toBe(0);
    same(fast(longerData), general(longerData));

    // The same with the marker in the data: the stored data is cut short.
    const data2 = { k: { b: 1, id, metadata: { c: 2 } } };
    const row2 = stored(data2, { z: 1 }, null);
    const v = canonicalJson(data2);
    const q = v.indexOf(marker);
    const shorterData = [...row2] as StoredRow;
    shorterData[5] = v.slice(0, q);
    shorterData[6] = `${v.slice(q + marker.length)}${marker}${canonicalJson({ z: 1 }).slice(0, -1)}${row2[6].slice(row2[6].lastIndexOf(',"chain":'))}`;
    expect(fast(shorterData).flags[0] & HASH_OK).toBe(0);
    same(fast(shorterData), general(shorterData));
  });

  it('names an event whose stored number has no canonical form, rather than stop', () => {
    const row = stored({ n: 1 }, {}, null);
    const huge = [...row] as StoredRow;
    huge[5] = '{"n":1e999}';
    expect(fast(huge).flags[0]).toBe(HAS_LINK);
  });

  it('leaves rows whose text columns hold numbers or nulls to the general path, and agrees with it', () => {
    const row = stored({ x: 1 }, { a: 1 }, null);
    for (const column of [1, 2, 4] as const) {
      for (const value of [5, null]) {
        const odd = [...row] as unknown as unknown[];
        odd[column] = value;
        same(fast(odd as StoredRow), general(odd as StoredRow));
        expect(fast(odd as StoredRow).flags[0] & HASH_OK).toBe(0);
      }
    }
  });

  it('does not pass metadata that is not valid JSON once the chain is put back', () => {
    const row = stored({ x: 1 }, {}, null);
    const broken = [...row] as StoredRow;
    broken[6] = `{,${row[6].slice(1)}`; // `{,"chain":…}`: the text without the chain would be `{}`
    expect(fast(broken).flags[0] & HASH_OK).toBe(0);
  });
});

describe(isOneValue.name, () => {
  it('inside a valid JSON text, at a cut followed by a comma, holds exactly when the cut ends the value it starts', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const value = canonicalJson(JSON.parse(JSON.stringify(a)) as JsonValue);
        const text = `${value},"id":"x","metadata":${canonicalJson(JSON.parse(JSON.stringify(b)) as JsonValue)}}`;
        // The premise: the cut is followed by a comma (in the hashed text, by `,"id":`).
        for (let k = 1; k < text.length; k++) if (text[k] === ',') expect(isOneValue(text.slice(0, k))).toBe(k === value.length);
      }),
      { numRuns: 300 },
    );
  });
});
