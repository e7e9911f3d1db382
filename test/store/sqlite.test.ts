// The promise layer over sqlite3 (main/store/sqlite.ts), and what its kept
// statements must never do: hold a read transaction between uses (which
// would hide other connections' commits from this one and keep the WAL
// from being checkpointed), hang on SQL that fails to prepare, or keep the
// connection from closing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../main/store/sqlite.js';

let dir: string;
let a: Database;
let b: Database;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strongroom-sqlite-'));
  a = await Database.open(join(dir, 'db.sqlite'), { create: true });
  await a.exclusive((sql) => sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT; INSERT INTO t VALUES (1, 'one')"));
  b = await a.sibling();
});
afterEach(async () => {
  await a.close();
  await b.close();
  await rm(dir, { recursive: true, force: true });
});

const keep = { keep: true };
const valueOf = (db: Database) => db.exclusive((sql) => sql.get<{ v: string }>('SELECT v FROM t WHERE id = ?', [1], keep));
/** A TRUNCATE checkpoint from `db` that does not wait: busy = 1 if any connection still reads from the WAL. */
const truncate = (db: Database) =>
  db.exclusive(async (sql) => {
    await sql.exec('PRAGMA busy_timeout = 0');
    try {
      return (await sql.get<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)'))!.busy;
    } finally {
      await sql.exec('PRAGMA busy_timeout = 10000');
    }
  });

describe('kept statements', () => {
  it('give what a fresh statement gives, run after run', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await valueOf(a)).toEqual({ v: 'one' });
      expect(await a.exclusive((sql) => sql.all('SELECT id, v FROM t ORDER BY id', [], keep))).toEqual([{ id: 1, v: 'one' }]);
    }
    expect(await a.exclusive((sql) => sql.run('INSERT INTO t (v) VALUES (?)', ['two'], keep))).toEqual({ changes: 1 });
    expect(await a.exclusive((sql) => sql.run('INSERT INTO t (v) VALUES (?)', ['three'], keep))).toEqual({ changes: 1 });
    expect(await a.all('SELECT v FROM t ORDER BY id')).toEqual([{ v: 'one' }, { v: 'two' }, { v: 'three' }]);
  });

  it("see another connection's commit on their next run, and hold no read transaction in between", async () => {
    expect(await valueOf(a)).toEqual({ v: 'one' });
    await b.exclusive((sql) => sql.run("UPDATE t SET v = 'changed' WHERE id = 1"));
    expect(await valueOf(a)).toEqual({ v: 'changed' });
    // a's kept statement has run since b's commit went into the WAL: were it still reading, the WAL could not be truncated
    expect(await truncate(b)).toBe(0);
  });

  it('(the check above does catch a statement left reading)', async () => {
    await b.exclusive((sql) => sql.run("UPDATE t SET v = 'changed' WHERE id = 1"));
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d: sqlite3.Database = new sqlite3.Database(join(dir, 'db.sqlite'), (err) => (err ? reject(err) : resolve(d)));
    });
    const st = raw.prepare('SELECT v FROM t');
    await new Promise((resolve, reject) => st.get((err: Error | null, row: unknown) => (err ? reject(err) : resolve(row))));
    expect(await truncate(b)).toBe(1); // st stopped on its first row: still in its read transaction
    await new Promise((resolve) => st.finalize(resolve));
    await new Promise((resolve) => raw.close(resolve));
    expect(await truncate(b)).toBe(0);
  });

  it('reject (not hang) when the SQL does not prepare, and are not kept then', async () => {
    await expect(a.exclusive((sql) => sql.get('SELECT nope FROM t', [], keep))).rejects.toThrow(/no such column/);
    await expect(a.exclusive((sql) => sql.get('SELECT nope FROM t', [], keep))).rejects.toThrow(/no such column/);
    await expect(a.exclusive((sql) => sql.run('INSERT INTO t (id, v) VALUES (1, ?)', ['dup'], keep))).rejects.toThrow(/UNIQUE/);
    expect(await a.exclusive((sql) => sql.run('INSERT INTO t (id, v) VALUES (2, ?)', ['ok'], keep))).toEqual({ changes: 1 });
    expect(await valueOf(a)).toEqual({ v: 'one' });
  });

  it('are finalized as they fall out of the cache and on close, so the connection closes', async () => {
    for (let i = 0; i < 100; i++) expect(await a.exclusive((sql) => sql.get<{ n: number }>(`SELECT ${i} AS n`, [], keep))).toEqual({ n: i });
    expect(await valueOf(a)).toEqual({ v: 'one' });
    const c = await a.sibling();
    await c.exclusive((sql) => sql.get('SELECT 1', [], keep));
    await c.close(); // rejects if a statement were left unfinalized
  });
});
