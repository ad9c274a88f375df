import { rmSync } from 'node:fs';
import { sampleResidentOnRegister } from '../apps/api/src/demo/sample-resident';
import { seedDemo } from '../apps/api/src/demo/seed-demo';
import { startApi } from './support/api-client';
import { ok } from './support/voting-fund';

/** The start-up message suggests signing in as a resident who is on the register, on every start. */
jest.setTimeout(120_000);

describe(sampleResidentOnRegister.name, () => {
  it('names the demo resident while on the register, on this start as on a later one, and no one once erased', async () => {
    const api = await startApi();
    try {
      expect(await sampleResidentOnRegister(api.app)).toBeUndefined();
      const summary = await seedDemo(api.app);
      expect(await sampleResidentOnRegister(api.app)).toBe(summary.sampleResident);
      await api.stop({ keepFiles: true });
    } catch (err) {
      await api.stop();
      throw err;
    }
    // A later start on the same store: nothing seeded, the same resident suggested.
    const again = await startApi({ SQLITE_PATH: api.sqlitePath });
    try {
      const reference = await sampleResidentOnRegister(again.app);
      expect(reference).toMatch(/^TH-\d{6}$/);
      const admin = await again.signIn('administrator', 'admin-1');
      ok(await again.gql(`mutation($r: String!) { eraseResident(reference: $r, reason: "asked") { done } }`, { r: reference }, admin));
      expect(await sampleResidentOnRegister(again.app)).toBeUndefined();
    } finally {
      await again.stop();
      rmSync(api.dir, { recursive: true, force: true });
    }
  });
});
