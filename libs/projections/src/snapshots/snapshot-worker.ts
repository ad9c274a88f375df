/**
 * The code of the thread that copies a live read-model file into a snapshot: plain
 * JavaScript, run with `eval`, so it needs no compiler and blocks nothing on the API's
 * thread. For each job it opens a fresh file with the snapshot's projections' tables, attaches
 * the live file, and in one read transaction (WAL: the live writer goes on meanwhile) reads the
 * live checkpoint — then tells the API it may fold on (`pinned`) — and copies every table.
 * External-content full-text indexes are rebuilt from their copied content (SQLite refuses
 * writes to their internal tables). The rows of the tables set apart (`job.apart`) are copied
 * into a second file of their own, written before the first; both files' `read_model_meta`
 * (checkpoint, and `apart`: the tables set apart) are the same.
 */
export const SNAPSHOT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { renameSync, rmSync } = require('node:fs');
const Database = require(workerData.driver);
parentPort.on('message', (job) => {
  let db;
  try {
    rmSync(job.tmp, { force: true });
    rmSync(job.apartTmp, { force: true });
    db = new Database(job.tmp);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(job.schema);
    const all = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
    const virtual = all.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql));
    const shadow = (name) => virtual.some((v) => name.startsWith(v.name + '_'));
    const plain = all.filter((t) => !virtual.includes(t) && !shadow(t.name)).map((t) => t.name);
    const apart = job.apart.filter((t) => plain.includes(t));
    if (apart.length !== job.apart.length) throw new Error('no such table to set apart: ' + job.apart.join(', '));
    if (apart.length > 0) {
      db.prepare('ATTACH ? AS apart').run(job.apartTmp);
      db.exec('PRAGMA apart.journal_mode = OFF');
      db.exec('CREATE TABLE apart.read_model_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      for (const t of apart) {
        const sql = all.find((x) => x.name === t).sql;
        db.exec(sql.replace(/^CREATE TABLE\\s+("?)([^\\s"(]+)\\1/i, 'CREATE TABLE apart."' + t + '"'));
      }
    }
    db.prepare('ATTACH ? AS live').run(job.live);
    db.exec('BEGIN');
    const meta = Object.fromEntries(db.prepare('SELECT key, value FROM live.read_model_meta').raw().all());
    const events = Number(meta.events ?? 0);
    parentPort.postMessage({ pinned: events, position: meta.checkpoint });
    for (const t of plain) {
      const into = apart.includes(t) ? 'apart' : 'main';
      db.exec('DELETE FROM main."' + t + '"');
      db.exec('INSERT INTO ' + into + '."' + t + '" SELECT * FROM live."' + t + '"');
    }
    db.prepare("UPDATE main.read_model_meta SET value = ? WHERE key = 'signature'").run(job.signature);
    if (apart.length > 0) {
      db.prepare("INSERT INTO main.read_model_meta (key, value) VALUES ('apart', ?)").run(apart.join(','));
      db.exec('INSERT INTO apart.read_model_meta SELECT * FROM main.read_model_meta');
    }
    for (const v of virtual) {
      if (!/content\\s*=/i.test(v.sql)) throw new Error('cannot copy the full-text table ' + v.name + ': only external-content ones');
      db.exec('INSERT INTO main."' + v.name + '" ("' + v.name + '") VALUES (\\'rebuild\\')');
    }
    db.exec('COMMIT');
    db.exec('DETACH live');
    db.close();
    db = undefined;
    const name = (pattern) => pattern.replace('{events}', String(events).padStart(12, '0'));
    if (apart.length > 0) renameSync(job.apartTmp, name(job.apartFile));
    const file = name(job.file);
    renameSync(job.tmp, file);
    parentPort.postMessage({ done: events, file });
  } catch (err) {
    try { db && db.close(); } catch {}
    rmSync(job.tmp, { force: true });
    rmSync(job.apartTmp, { force: true });
    parentPort.postMessage({ error: String(err && err.stack || err) });
  }
});
`;
