import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteContactIndex } from '@civic/auth';
import { streams, type EraseResident, type RegisterResident } from '@civic/domain';
import type { EventStore, StreamAppend } from '@civic/event-store';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { SqlitePersonalDataVault } from '../personal-data/sqlite-personal-data-vault';
import { createHarness, RESIDENT, STAFF } from '../testing/harness';
import { ImportRegisterCommand } from './import-register';
import { residentIdFor, RunResidentCommand } from './run-resident-command';

// The register's import on real files: the SQLite event store, the SQLite vault of keys and the
// contact index beside it, as the API runs them.
// Thousands of rows through real files: allow for a machine shared with other work.
jest.setTimeout(30_000);

const dir = mkdtempSync(join(tmpdir(), 'civic-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csvOf = (rows: readonly string[]) => ['reference,ward,date_of_birth,email', ...rows].join('\n');
const ref = (i: number) => `TH${String(i).padStart(6, '0')}`;
const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => `${ref(from + k)},bow,1980-01-01,`);

/** A world on files of its own, or on those of `name` (as after a restart). */
const open = (options: { oneByOne?: boolean; maxEventsPerAppend?: number; name?: string } = {}) => {
  const name = options.name ?? randomUUID();
  const events = new SqliteEventStore({ path: join(dir, `${name}.events.sqlite`), maxEventsPerAppend: options.maxEventsPerAppend });
  const keysPath = join(dir, `${name}.keys.sqlite`);
  const vault = new SqlitePersonalDataVault({ path: keysPath });
  const contacts = new SqliteContactIndex({
    path: join(dir, `${name}.contacts.sqlite`),
    hashKey: randomBytes(32),
    sealKey: randomBytes(32),
  });
  // The same store without its multi-stream append: the import then takes one command per row, as before.
  const store: EventStore = options.oneByOne
    ? {
        append: (...args) => events.append(...args),
        readStream: (...args) => events.readStream(...args),
        readAll: (...args) => events.readAll(...args),
        headPosition: () => events.headPosition(),
        subscribeAll: (...args) => events.subscribeAll(...args),
        close: () => events.close(),
      }
    : events;
  const h = createHarness(store, { vault, contacts });
  const importCsv = (csv: string, commandId = randomUUID()) =>
    h.handlers.importRegister.execute(new ImportRegisterCommand(csv, h.input(STAFF.admin, commandId)));
  const streamOf = async (reference: string) => h.store.readStream(streams.resident(await residentIdFor(h.runtime, reference)));
  /** The keys in the vault's file, read by another connection. */
  const keyCount = () => {
    const db = new Database(keysPath, { readonly: true });
    const { n } = db.prepare('SELECT count(*) AS n FROM resident_keys').get() as { n: number };
    db.close();
    return n;
  };
  const close = async () => {
    await events.close();
    vault.close();
    await contacts.close();
  };
  return { h, events, vault, contacts, importCsv, streamOf, keyCount, close, name, path: join(dir, `${name}.events.sqlite`) };
};

describe('importing a register in groups', () => {
  it('writes the new residents of a group in one commit: every stream, key and contact entry', async () => {
    const w = open();
    const before = w.events.stats().commits;
    const csv = csvOf([...rows(0, 1199), `${ref(1199)},bow,1980-01-01,last@example.org`]);
    expect(await w.importCsv(csv)).toEqual({ imported: 1200, refused: [] });
    expect(w.events.stats().commits - before).toBe(1);
    expect(w.keyCount()).toBe(1200);
    const [registered] = await w.streamOf(ref(1199));
    expect(registered).toMatchObject({ type: 'ResidentRegistered', data: { ward: 'bow', source: 'register' } });
    const { residentId, personal } = registered.data as { residentId: string; personal: never };
    expect(await w.vault.open(residentId, personal)).toEqual({ dateOfBirth: '1980-01-01', email: 'last@example.org' });
    expect(await w.contacts.findByEmail('LAST@example.org')).toEqual([{ residentId, reference: ref(1199) }]);
    expect((await w.contacts.all()).length).toBe(1200);
    await w.close();
  });

  it('refuses rows by line and reason exactly as one command per row does, and leaves the same records', async () => {
    const csv = csvOf([
      ...rows(0, 5),
      'not a reference!,bow,1980-01-01,',
      `${ref(5)},,1980-01-01,`,
      `${ref(6)},bow,1980-02-30,`,
      `${ref(7)},bow,1980-01-01,not an email`,
      `${ref(1)},bow,1980-01-01,`,
      `${ref(20)},spitalfields,1980-01-01,`,
      `${ref(21)},bow,1980-01-01,`,
      `${ref(22)},bow,1980-01-01,`,
      ...rows(30, 40),
    ]);
    const results = [];
    const records = [];
    for (const oneByOne of [true, false]) {
      const w = open({ oneByOne });
      // Before the import: a resident who registered themself, one already on the register, one erased.
      await w.h.handlers.residents.execute(
        new RunResidentCommand<RegisterResident>(
          'RegisterResident',
          { reference: ref(20), dateOfBirth: '1980-01-01' },
          w.h.input(RESIDENT),
        ),
      );
      await w.importCsv(csvOf([`${ref(21)},bow,1980-01-01,`]));
      await w.importCsv(csvOf([`${ref(22)},bow,1980-01-01,`]));
      await w.h.handlers.residents.execute(
        new RunResidentCommand<EraseResident>('EraseResident', { reference: ref(22), reason: 'Asked' }, w.h.input(STAFF.admin)),
      );
      results.push(await w.importCsv(csv));
      const of = async (i: number) => (await w.streamOf(ref(i))).map((e) => [e.type, (e.data as { ward?: string }).ward ?? null]);
      records.push(await Promise.all([0, 4, 5, 7, 20, 21, 22, 30, 39].map(of)));
      await w.close();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[1]).toEqual({
      imported: 16,
      refused: [7, 8, 9, 10, 11, 13, 14].map((line) => ({ line, code: expect.any(String), message: expect.any(String) })),
    });
    expect(results[1].refused.map((r) => r.code)).toEqual([
      'RESIDENT.INVALID_REFERENCE',
      'RESIDENT.INVALID_WARD',
      'RESIDENT.INVALID_DATE_OF_BIRTH',
      'RESIDENT.INVALID_PERSONAL_DATA',
      'RESIDENT.ALREADY_REGISTERED',
      'RESIDENT.ALREADY_REGISTERED',
      'RESIDENT.ERASED',
    ]);
    expect(records[1]).toEqual(records[0]);
    // The resident who registered themself is verified by the register, which sets the ward.
    expect(records[1][4]).toEqual([
      ['ResidentRegistered', null],
      ['ResidentVerified', null],
      ['ResidentWardAssigned', 'spitalfields'],
    ]);
  });

  it('imports row by row what a store takes too many of in one write', async () => {
    const w = open({ maxEventsPerAppend: 100 });
    expect(await w.importCsv(csvOf(rows(0, 250)))).toEqual({ imported: 250, refused: [] });
    for (const i of [0, 249]) expect((await w.streamOf(ref(i))).map((e) => e.type)).toEqual(['ResidentRegistered']);
    expect(w.keyCount()).toBe(250);
    await w.close();
  });

  it('changes nothing when the same import is sent again', async () => {
    const w = open();
    const commandId = randomUUID();
    const first = await w.importCsv(csvOf(rows(0, 300)), commandId);
    const head = await w.h.store.headPosition();
    expect(await w.importCsv(csvOf(rows(0, 300)), commandId)).toEqual(first);
    expect(await w.h.store.headPosition()).toBe(head);
    expect(w.keyCount()).toBe(300);
    await w.close();
  });

  it('gives one resident for a reference in two imports at once, whichever writes first', async () => {
    const w = open();
    // Hold the first import's append until the second has made its keys: the second then finds
    // the overlapping residents known (their keys made by the first) while none is written yet.
    const first = streams.resident(await residentIdFor(w.h.runtime, ref(0)));
    let secondSealed!: () => void;
    const sealedBySecond = new Promise<void>((resolve) => (secondSealed = resolve));
    const sealNew = w.vault.sealNew.bind(w.vault);
    w.vault.sealNew = async (entries) => {
      const sealed = await sealNew(entries);
      if (!entries.some((e) => streams.resident(e.residentId) === first)) secondSealed();
      return sealed;
    };
    const appendToStreams = w.events.appendToStreams.bind(w.events);
    w.events.appendToStreams = async (parts: readonly StreamAppend[]) => {
      if (parts.some((p) => p.streamName === first)) await sealedBySecond;
      return appendToStreams(parts);
    };
    const [a, b] = await Promise.all([w.importCsv(csvOf(rows(0, 100))), w.importCsv(csvOf(rows(50, 150)))]);
    expect(a).toEqual({ imported: 100, refused: [] });
    expect(b.imported).toBe(50);
    expect(b.refused.map((r) => [r.line, r.code])).toEqual(Array.from({ length: 50 }, (_, k) => [k + 2, 'RESIDENT.ALREADY_REGISTERED']));
    for (let i = 0; i < 150; i++) expect((await w.streamOf(ref(i))).map((e) => e.type)).toEqual(['ResidentRegistered']);
    expect(w.keyCount()).toBe(150);
    await w.close();
  });

  it('leaves no stream and no key of a group whose append fails part-way, and imports it whole once tried again', async () => {
    const created = open();
    const failing = streams.resident(await residentIdFor(created.h.runtime, ref(599)));
    await created.close();
    // A real failure of SQLite on the 600th resident's row, inside the write (a trigger put in
    // while the API was stopped, so that its connection reads it when it opens the file).
    const db = new Database(created.path);
    db.exec(
      `CREATE TRIGGER full_disk BEFORE INSERT ON events WHEN NEW.stream_name = '${failing}' BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    const w = open({ name: created.name });
    const csv = csvOf(rows(0, 1000));
    // (Matched by its fields: SQLite's error class may come from another realm than this test's.)
    await expect(w.importCsv(csv)).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER', message: 'disk full' });
    expect(await w.h.store.readAll()).toEqual([]);
    expect(w.keyCount()).toBe(0);
    expect(await w.contacts.all()).toEqual([]);
    await w.close();
    db.exec('DROP TRIGGER full_disk');
    db.close();
    const again = open({ name: created.name });
    expect(await again.importCsv(csv)).toEqual({ imported: 1000, refused: [] });
    const [registered] = await again.streamOf(ref(599));
    const { residentId, personal } = registered.data as { residentId: string; personal: never };
    expect(await again.vault.open(residentId, personal)).toEqual({ dateOfBirth: '1980-01-01' });
    await again.close();
  });

  it('erases a resident imported in a group: key and contact entry gone, and the register cannot bring them back', async () => {
    const w = open();
    await w.importCsv(csvOf([`${ref(1)},bow,1980-01-01,one@example.org`, `${ref(2)},bow,1980-01-01,two@example.org`]));
    const [registered] = await w.streamOf(ref(1));
    const { residentId, personal } = registered.data as { residentId: string; personal: never };
    await w.h.handlers.residents.execute(
      new RunResidentCommand<EraseResident>('EraseResident', { reference: ref(1), reason: 'Asked' }, w.h.input(STAFF.admin)),
    );
    expect((await w.streamOf(ref(1))).map((e) => e.type)).toEqual(['ResidentRegistered', 'ResidentErased']);
    expect(await w.vault.open(residentId, personal)).toBeUndefined();
    expect(await w.contacts.findByEmail('one@example.org')).toEqual([]);
    expect(await w.contacts.findByEmail('two@example.org')).toHaveLength(1);
    expect(await w.importCsv(csvOf([`${ref(1)},bow,1980-01-01,`, `${ref(3)},bow,1980-01-01,`]))).toEqual({
      imported: 1,
      refused: [{ line: 2, code: 'RESIDENT.ERASED', message: expect.any(String) }],
    });
    expect(w.keyCount()).toBe(2);
    await w.close();
  });
});
