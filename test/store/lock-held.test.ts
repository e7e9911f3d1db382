// Another program holding the vault's write lock (issue 9): every statement,
// transaction and open that waits out its busy timeout fails with
// DependencyTimeoutException naming the holder (pid and command line, from
// Linux's /proc/locks), never with a raw "SQLITE_BUSY: database is locked".
// The holder is a real second process: the sqlite3 command-line shell in a
// write transaction. Short busy timeouts keep the waits short.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KmsError } from '../../main/core/errors.js';
import { writeLockHolders } from '../../main/store/lock-holder.js';
import { migrate } from '../../main/store/migrations/index.js';
import { Database } from '../../main/store/sqlite.js';
import { openVault } from '../../main/vault/vault.js';
import { holdWriteLock } from '../support/lock-holder.js';
import { makeVault, VAULT_PASSPHRASE } from '../support/vault.js';

const SHORT = { busyTimeoutMs: 150 };

async function rejection(p: Promise<unknown>): Promise<KmsError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'expected DependencyTimeoutException').toBeInstanceOf(KmsError);
  return e as KmsError;
}

function expectNamesHolder(e: KmsError, pid: number, path: string): void {
  expect(e.name).toBe('DependencyTimeoutException');
  expect(e.fault).toBe('client');
  expect(e.message).toContain(`The vault is locked by another program (pid ${pid}: sqlite3 ${path})`);
  expect(e.message).toContain('stayed locked for 0.15 s');
  expect(e.message).toMatch(/Let that program finish or close it, then retry\.$/);
  expect(e.message).not.toMatch(/SQLITE_BUSY/);
}

describe('a database another process holds locked', () => {
  let dir: string;
  let path: string;
  let db: Database;
  let holder: Awaited<ReturnType<typeof holdWriteLock>> | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strongroom-lock-'));
    path = join(dir, 'db.sqlite');
    db = await Database.open(path, { create: true, ...SHORT });
    await db.exclusive((sql) => sql.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT'));
  });
  afterEach(async () => {
    await holder?.release();
    holder = undefined;
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a transaction fails with DependencyTimeoutException naming the holder, and works once it lets go', async () => {
    holder = await holdWriteLock(path);
    expectNamesHolder(await rejection(db.transaction((sql) => sql.run("INSERT INTO t (v) VALUES ('x')"))), holder.pid, path);
    await holder.release();
    holder = undefined;
    await db.transaction((sql) => sql.run("INSERT INTO t (v) VALUES ('x')"));
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'x' }]);
  });

  it('so does a single statement, kept or not', async () => {
    holder = await holdWriteLock(path);
    expectNamesHolder(await rejection(db.exclusive((sql) => sql.run("INSERT INTO t (v) VALUES ('y')"))), holder.pid, path);
    expectNamesHolder(await rejection(db.exclusive((sql) => sql.run("INSERT INTO t (v) VALUES ('y')", [], { keep: true }))), holder.pid, path);
  });

  it('so does a new connection migrating the schema, as opening a vault does', async () => {
    holder = await holdWriteLock(path);
    const other = await Database.open(path, { create: false, ...SHORT });
    try {
      expectNamesHolder(await rejection(migrate(other)), holder.pid, path);
    } finally {
      await other.close();
    }
  });

  it('reading is not blocked by a writer (WAL)', async () => {
    holder = await holdWriteLock(path);
    expect(await db.all('SELECT v FROM t')).toEqual([]);
  });

  it('a holder the OS does not name (here: this very process) is "another program", with what it may be', async () => {
    const other = await Database.open(path, { create: false, ...SHORT });
    await other.raw.exec('BEGIN IMMEDIATE');
    try {
      const e = await rejection(db.transaction((sql) => sql.run("INSERT INTO t (v) VALUES ('z')")));
      expect(e.name).toBe('DependencyTimeoutException');
      expect(e.message).toMatch(/^The vault is locked by another program: /);
      expect(e.message).toContain('(another Strongroom command, the desktop app, or a tool such as sqlite3 with the vault open)');
      expect(e.message).not.toContain(`pid ${process.pid}`);
    } finally {
      await other.raw.exec('ROLLBACK');
      await other.close();
    }
  });

  it('/proc/locks is read on Linux only: elsewhere no holder is named', async () => {
    holder = await holdWriteLock(path);
    const files = [path, `${path}-wal`, `${path}-shm`];
    expect(writeLockHolders(files)).toEqual([{ pid: holder.pid, command: `sqlite3 ${path}` }]);
    expect(writeLockHolders(files, 'darwin')).toEqual([]);
    expect(writeLockHolders([join(dir, 'no-such-file')])).toEqual([]);
  });

  it('the busy timeout is an option, and must be a whole number of ms', async () => {
    expect(db.busyTimeoutMs).toBe(150);
    const sibling = await db.sibling();
    expect(sibling.busyTimeoutMs).toBe(150);
    await sibling.close();
    await expect(Database.open(path, { create: false, busyTimeoutMs: -1 })).rejects.toThrow(RangeError);
    await expect(Database.open(path, { create: false, busyTimeoutMs: 1.5 })).rejects.toThrow(RangeError);
  });
});

describe('a vault another process holds locked', () => {
  it('openVault fails with DependencyTimeoutException naming the holder', async () => {
    const t = await makeVault();
    const path = join(t.dir, 'strongroom.db');
    const holder = await holdWriteLock(path);
    try {
      const e = await rejection(openVault(t.dir, { vaultPassphrase: async () => VAULT_PASSPHRASE, ...SHORT }));
      expectNamesHolder(e, holder.pid, path);
    } finally {
      await holder.release();
      await t.close();
    }
  });
});
