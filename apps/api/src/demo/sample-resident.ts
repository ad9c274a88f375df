import type { INestApplication } from '@nestjs/common';
import { CommandRuntime, residentIdFor } from '@civic/application';
import type { ReadModelDatabase } from '@civic/projections';
import { READ_MODELS } from '../read-models/read-models.module';
import { DEMO_RESIDENT } from './seed-demo';

/**
 * The reference the start-up message suggests signing in with, on this start as on the first:
 * the demo's resident while they are on this store's register (not erased); none when the store
 * does not hold them (a store without the demo). The read models are caught up once the app is
 * initialised.
 */
export async function sampleResidentOnRegister(app: INestApplication): Promise<string | undefined> {
  const residentId = await residentIdFor(app.get(CommandRuntime), DEMO_RESIDENT);
  const row = app.get<ReadModelDatabase>(READ_MODELS).db.prepare('SELECT status FROM register WHERE resident_id = ?').get(residentId) as
    { status: string } | undefined;
  return row && row.status !== 'erased' ? DEMO_RESIDENT : undefined;
}
