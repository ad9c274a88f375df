import type { ClientBase, Pool } from 'pg';

/** A pool or a client: whatever can run one statement. */
export type Queryable = Pick<ClientBase | Pool, 'query'>;
