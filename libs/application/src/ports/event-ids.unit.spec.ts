import { v5 as uuidv5 } from 'uuid';
import { childCommandId, eventIdFor, newRecordId } from './event-ids';

// Ids already in stores must be derived again exactly: these are the ids the first version gave.
describe('deterministic ids', () => {
  const command = '3f0e4c1a-0000-4000-8000-000000000001';
  it('derive the same event, child command and record ids as ever, for any text', () => {
    expect(eventIdFor(command, 0)).toBe('ace00513-de6f-5584-92d5-c812ae1db9cb');
    expect(childCommandId(command, 'row:বাংলা-TH1')).toBe('ac0f58b1-f4c5-54ad-b415-65887d717532');
    expect(newRecordId(command, 'fund')).toBe('9ef2700e-d508-5412-a8aa-1b7dbb49d4dc');
  });

  it('are the version-5 UUIDs of their names in the event id namespace', () => {
    const namespace = '6f1d3c52-9a47-4e0b-8d0e-3b2a51c7e9f4';
    for (const part of ['row:R-0000001', 'row:বাংলা', 'row:😀', '', 'x'.repeat(200)]) {
      expect(childCommandId(command, part)).toBe(uuidv5(`${command}/${part}`, namespace));
    }
    for (let index = 0; index < 20; index++) expect(eventIdFor(command, index)).toBe(uuidv5(`${command}#${index}`, namespace));
  });
});
