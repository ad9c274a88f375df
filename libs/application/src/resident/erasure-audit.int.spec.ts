import { generateKeyPairSync } from 'node:crypto';
import { ChainedEventStore, Checkpointer, loadSigningKey, StoreAuditSource, verifyHistory } from '@civic/audit';
import type { CastBallot, EraseResident } from '@civic/domain';
import { InMemoryEventStore } from '@civic/event-store';
import { RunBallotCommand } from '../ballot/run-ballot-command';
import { createHarness, FUND_ID, knapsack, registerCsv, RESIDENT, SAMPLE_PROPOSALS, STAFF, WARD_POT } from '../testing/harness';
import { residentIdFor, RunResidentCommand } from './run-resident-command';

describe('erasure and the audit trail', () => {
  it('leaves every hash and checkpoint verifying: erasure appends, and changes nothing written', async () => {
    const key = loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const store = new ChainedEventStore(new InMemoryEventStore());
    const checkpointer = new Checkpointer({ store, key, interval: 20 });
    const h = createHarness(store);
    await h.openVoting(registerCsv(10), SAMPLE_PROPOSALS);
    for (const reference of ['TH000001', 'TH000002']) {
      await h.handlers.ballots.execute(
        new RunBallotCommand<CastBallot>(
          'CastBallot',
          { fundId: FUND_ID, potId: WARD_POT.potId, voter: { reference }, content: knapsack('trees') },
          h.input(RESIDENT),
        ),
      );
    }
    await checkpointer.catchUp();
    const before = JSON.stringify(await store.readAll({ maxCount: 100_000 }));

    await h.handlers.residents.execute(
      new RunResidentCommand<EraseResident>('EraseResident', { reference: 'TH000001', reason: 'Erasure request' }, h.input(STAFF.admin)),
    );
    await checkpointer.catchUp();

    const after = await store.readAll({ maxCount: 100_000 });
    expect(JSON.stringify(after).startsWith(before.slice(0, -1))).toBe(true);
    expect(after.map((e) => e.type)).toContain('ResidentErased');
    const state = await h.runtime.reader.resident(await residentIdFor(h.runtime, 'TH000001'));
    expect(state.status).toBe('erased');
    const report = await verifyHistory({ source: new StoreAuditSource(store, 'memory'), publicKey: key.publicKey });
    expect(report).toMatchObject({ ok: true });
    expect(report.checkpointsChecked).toBeGreaterThan(1);
  });
});
