import type { RecordedEvent } from '@civic/event-store';
import { batchFolder, ReadModelDatabase } from '@civic/projections';
import { registerProjection } from './register.projection';

let position = 0;
const event = (type: string, data: Record<string, string>): RecordedEvent => ({
  id: `e${++position}`,
  type,
  data,
  metadata: {},
  streamName: `resident-${data.residentId}`,
  revision: 0,
  position: String(position),
  recordedAt: '2026-05-01T10:00:00.000Z',
});
const registered = (residentId: string, ward: string) => event('ResidentRegistered', { residentId, ward, source: 'register' });

describe('the register projection', () => {
  it('numbers residents in the order they were registered, an erased one keeping its row and number', () => {
    const readModels = ReadModelDatabase.open(':memory:', [registerProjection]);
    const fold = batchFolder(readModels);
    fold([registered('zz', 'bow'), registered('aa', 'mile-end'), registered('mm', 'bow')]);
    fold([event('ResidentErased', { residentId: 'mm' }), registered('bb', 'bow')]);
    expect(readModels.db.prepare(`SELECT seq, resident_id, status FROM register WHERE ward = 'bow' ORDER BY seq`).all()).toEqual([
      { seq: 1, resident_id: 'zz', status: 'verified' },
      { seq: 3, resident_id: 'mm', status: 'erased' },
      { seq: 4, resident_id: 'bb', status: 'verified' },
    ]);
    readModels.close();
  });
});
