/**
 * `npm run bench -- register-import [--residents N]`: the register's import in one process, stage
 * by stage, as CPU per resident (steadier than a rate on a machine others share): the import
 * (CSV in chunks of 5,000 through the handler, on the SQLite event store behind the audit chain,
 * the SQLite vault and contact index), then the Checkpointer following the log over what it wrote
 * (the Merkle index included), then the projection runner's fold of it into the read models, each
 * as the API runs it. The rehearsal measures the same
 * work end to end over HTTP; this one shows which stage a change moved.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteContactIndex } from '@civic/auth';
import { ChainedEventStore, Checkpointer, loadSigningKey, MerkleIndex } from '@civic/audit';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { ProjectionRunner, ReadModelDatabase } from '@civic/projections';
import { PROJECTIONS } from '@civic/read-models';
import { ImportRegisterCommand } from '../../libs/application/src/resident/import-register';
import { SqlitePersonalDataVault } from '../../libs/application/src/personal-data/sqlite-personal-data-vault';
import { createHarness, STAFF } from '../../libs/application/src/testing/harness';
import { printTable } from '../table';

const CHUNK = 5000;
const WARDS = ['bow', 'mile-end', 'spitalfields', 'whitechapel'];

const csvOf = (from: number, to: number, prefix = 'R-') =>
  [
    'reference,ward,date_of_birth',
    ...Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return `${prefix}${String(i).padStart(7, '0')},${WARDS[i % WARDS.length]},19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`;
    }),
  ].join('\n');

export async function run(flags: string[]): Promise<void> {
  const at = flags.indexOf('--residents');
  const residents = at >= 0 ? Number(flags[at + 1]) : 27_907;
  const dir = mkdtempSync(join(tmpdir(), 'civic-register-import-'));
  const inner = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  const store = new ChainedEventStore(inner);
  const vault = new SqlitePersonalDataVault({ path: join(dir, 'keys.sqlite') });
  const contacts = new SqliteContactIndex({ path: join(dir, 'contacts.sqlite'), hashKey: randomBytes(32), sealKey: randomBytes(32) });
  const h = createHarness(store, { vault, contacts });
  const importCsv = (csv: string) => h.handlers.importRegister.execute(new ImportRegisterCommand(csv, h.input(STAFF.admin, randomUUID())));
  const rows: (string | number)[][] = [];
  const stage = async (name: string, work: () => Promise<unknown>) => {
    const cpu = process.cpuUsage();
    const main = mainThreadCpuUs();
    const started = process.hrtime.bigint();
    await work();
    const used = process.cpuUsage(cpu);
    const mainUsed = mainThreadCpuUs() - main;
    const wall = Number(process.hrtime.bigint() - started) / 1e3;
    const perResident = (us: number) => (us / residents).toFixed(1);
    rows.push([name, perResident(used.user + used.system), perResident(mainUsed), perResident(wall), loadavg()[0].toFixed(2)]);
  };
  try {
    // Modules loaded and code compiled on first use: not measured.
    await importCsv(csvOf(0, 300, 'W-'));
    await stage('import', async () => {
      for (let from = 0; from < residents; from += CHUNK) {
        const to = Math.min(residents, from + CHUNK);
        const { imported } = await importCsv(csvOf(from, to));
        if (imported !== to - from) throw new Error(`imported ${imported} of ${to - from}`);
      }
    });
    const key = loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const index = MerkleIndex.open(join(dir, 'merkle.sqlite'));
    // As the API runs it: following the log from its start until it has observed the last event.
    await stage('Checkpointer and Merkle index', async () => {
      const head = await store.headPosition();
      const checkpointer = new Checkpointer({ store, key, index });
      checkpointer.start();
      // Positions count the events from 1 in a new SQLite store. Polled: a waiter on `observed` would be told of every event.
      while (head !== 'start' && index.size < Number(head)) await new Promise((r) => setTimeout(r, 10));
      await checkpointer.stop();
    });
    index.close();
    const readModels = ReadModelDatabase.open(join(dir, 'read-models.sqlite'), PROJECTIONS);
    // As the API folds them: the projection runner, caught up to the head.
    await stage('read models', async () => {
      const runner = new ProjectionRunner(inner, readModels);
      await runner.start();
      await runner.stop();
    });
    readModels.close();
  } finally {
    await inner.close();
    vault.close();
    await contacts.close();
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    [`stage (${residents} residents)`, 'CPU µs per resident', 'main thread CPU µs per resident', 'wall µs per resident', 'load'],
    rows,
  );
}

/**
 * The CPU time of this process's main thread so far, in µs (Linux: /proc, in clock ticks of 1/100 s):
 * what the event loop spent, without the worker threads that checkpoint logs beside it.
 */
function mainThreadCpuUs(): number {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 1e4;
}
