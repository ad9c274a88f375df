import type { WardsConfigured } from '@civic/domain';
import { statement, type Projection } from '@civic/projections';

/** The borough's configured wards, in the council's order. */
export const wardsProjection: Projection = {
  name: 'wards',
  version: 1,
  schema: `CREATE TABLE wards (ordinal INTEGER PRIMARY KEY, name TEXT NOT NULL);`,
  eventTypes: ['WardsConfigured'],
  apply(db, recorded) {
    const data = recorded.data as unknown as WardsConfigured['data'];
    statement(db, `DELETE FROM wards`).run();
    data.wards.forEach((name, i) => statement(db, `INSERT INTO wards (ordinal, name) VALUES (?, ?)`).run(i, name));
  },
};
