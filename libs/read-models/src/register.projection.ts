import type { ResidentEvent } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/** The register as administrators see it: pseudonymous resident ids, ward and status; personal data never (it is sealed). */
// `seq` is the rowid, in the order residents were registered: rows are never deleted (erasure
// marks them), so SQLite's next rowid is always the largest plus one, as AUTOINCREMENT would give,
// without the write of its counter at every insert.
export const registerProjection: Projection = {
  name: 'register',
  version: 2,
  schema: `
    CREATE TABLE register (seq INTEGER PRIMARY KEY, resident_id TEXT NOT NULL UNIQUE, ward TEXT, status TEXT NOT NULL, source TEXT NOT NULL, registered_at TEXT NOT NULL);
    CREATE INDEX register_by_ward ON register (ward, seq);`,
  eventTypes: ['ResidentRegistered', 'ResidentVerified', 'ResidentWardAssigned', 'ResidentErased'],
  apply(db, recorded) {
    const event = { type: recorded.type, data: recorded.data } as ResidentEvent;
    const id = event.data.residentId;
    switch (event.type) {
      case 'ResidentRegistered':
        statement(db, `INSERT INTO register (resident_id, ward, status, source, registered_at) VALUES (?, ?, ?, ?, ?)`).run(
          id,
          event.data.ward,
          event.data.source === 'register' ? 'verified' : 'registered',
          event.data.source,
          recorded.recordedAt,
        );
        return;
      case 'ResidentVerified':
        return void statement(db, `UPDATE register SET status = 'verified' WHERE resident_id = ?`).run(id);
      case 'ResidentWardAssigned':
        return void statement(db, `UPDATE register SET ward = ? WHERE resident_id = ?`).run(event.data.ward, id);
      case 'ResidentErased':
        return void statement(db, `UPDATE register SET status = 'erased' WHERE resident_id = ?`).run(id);
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  },
};
