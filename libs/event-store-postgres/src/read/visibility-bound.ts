import type { Queryable } from '../queryable';

/** The xid below which readers read now (see read-all.ts). */
export async function readVisibilityBound(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ xmin: string }>({
    name: 'visibility-bound',
    text: 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
  });
  return BigInt(rows[0].xmin);
}
