// A small promise layer over the `sqlite3` package (N-API, async). One
// connection per process; every statement goes through one queue so that a
// transaction's statements are never interleaved with another caller's.
// Pragmas (https://sqlite.org/pragma.html): WAL so the desktop app and the
// CLI can read while the other writes; synchronous=FULL so a commit is on
// disk when it returns; foreign_keys on; busy_timeout so a writer waits for
// another process's lock instead of failing at once.
//
// A lock held longer than that (SQLITE_BUSY) is DependencyTimeoutException,
// naming the program that holds it where the OS says (lock-holder.ts). Every
// callback from the addon passes its error through `fail` below: statements,
// kept statements, transactions, opening and closing, so none can surface a
// raw "SQLITE_BUSY: database is locked".
//
// Files: a database this layer creates is created mode 0600 before SQLite
// opens it, whatever the umask. SQLite gives the -wal and -shm files it
// creates later the database file's mode (findCreateFileMode and
// unixOpenSharedMemory in https://sqlite.org/src/file/src/os_unix.c, which
// fchmod past the umask), so they are 0600 too.
//
// Kept statements. The addon runs a statement in two trips through libuv's
// threadpool: it prepares it, comes back to the event loop, then runs it.
// When the event loop is busy (a batch of calls doing their work), the run
// waits for it, however quick the preparing was. A statement run with
// {keep: true} stays prepared, per connection, for the next run of the same
// SQL text: one trip, and no parsing. Only for SQL that recurs (fixed text,
// values bound); a kept statement is always stepped to its end (get reads
// all rows and returns the first; run is only for statements that return
// no rows), so it never holds a transaction open between uses, and it is
// finalized when it falls out of the cache or the connection closes.
import { constants } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import sqlite3 from 'sqlite3';
import { KmsError } from '../core/errors.js';
import { writeLockHolders } from './lock-holder.js';

export type SqlValue = string | number | bigint | Buffer | null;

/** The addon's Backup object (lib/sqlite3.js Database#backup), which its typings leave out. */
interface SqliteBackup {
  step(pages: number, cb: (err: Error | null, completed?: boolean) => void): void;
  finish(cb: () => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  readonly completed: boolean;
  readonly failed: boolean;
}
type SqliteWithBackup = { backup(file: string, cb: (err: Error | null) => void): SqliteBackup };
export type Row = Record<string, SqlValue>;

interface StatementOptions {
  /** keep the statement prepared for the next run of the same SQL (see above) */
  keep?: boolean;
}

export interface Sql {
  run(sql: string, params?: readonly SqlValue[], opts?: StatementOptions): Promise<{ changes: number }>;
  get<T = Row>(sql: string, params?: readonly SqlValue[], opts?: StatementOptions): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: readonly SqlValue[], opts?: StatementOptions): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/** kept statements per connection */
const KEPT = 32;

/** How long a statement waits for another connection's lock, by default (ms). */
const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

export interface OpenOptions {
  /** create the file (mode 0600) if it does not exist */
  create: boolean;
  /** how long to wait for another connection's lock before DependencyTimeoutException; default DEFAULT_BUSY_TIMEOUT_MS */
  busyTimeoutMs?: number;
}

/** The one translation of the addon's errors (see the file comment); anything else passes through unchanged. */
function fail(err: Error, path: string, busyTimeoutMs: number): Error {
  if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') return err;
  const holders = writeLockHolders([path, `${path}-wal`, `${path}-shm`, `${path}-journal`]);
  const who = holders.length ? holders.map((h) => `pid ${h.pid}${h.command ? `: ${h.command}` : ''}`).join('; ') : undefined;
  return new KmsError(
    'DependencyTimeoutException',
    `The vault is locked by another program${who ? ` (${who})` : ''}: ${path} stayed locked for ${busyTimeoutMs / 1000} s. ` +
      `Let that program finish or close it${who ? '' : ' (another Strongroom command, the desktop app, or a tool such as sqlite3 with the vault open)'}, then retry.`,
  );
}

/**
 * Creates the file mode 0600 if it does not exist (an empty file is an empty
 * SQLite database). The explicit fchmod undoes the umask, which open(2)'s mode
 * goes through. A file that exists is left as it is. Windows has no POSIX
 * modes (Node's chmod there only sets the read-only flag): skipped.
 */
async function createPrivate(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  let fh;
  try {
    fh = await openFile(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw e;
  }
  try {
    await fh.chmod(0o600);
  } finally {
    await fh.close();
  }
}

export class Database {
  readonly #db: sqlite3.Database;
  /** the file this connection is to */
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();
  /** statements that run directly, without the queue: only for use inside `exclusive` */
  readonly raw: Sql;

  /** kept statements by SQL text (prepared, or being prepared), least recently used first */
  readonly #kept = new Map<string, Promise<sqlite3.Statement>>();

  /** ms a statement waits for another connection's lock */
  readonly busyTimeoutMs: number;
  /** the addon's error as callers see it (see `fail`) */
  readonly #fail: (err: Error) => Error;

  private constructor(db: sqlite3.Database, path: string, busyTimeoutMs: number) {
    this.#db = db;
    this.path = path;
    this.busyTimeoutMs = busyTimeoutMs;
    const failed = (this.#fail = (err: Error) => fail(err, path, busyTimeoutMs));
    const kept = (sql: string) => this.#keptStatement(sql);
    this.raw = {
      async run(sql, params = [], opts) {
        const st = opts?.keep ? await kept(sql) : undefined;
        return new Promise((resolve, reject) => {
          const done = function (this: sqlite3.RunResult, err: Error | null) {
            if (err) reject(failed(err));
            else resolve({ changes: this.changes });
          };
          if (st) st.run(params, done);
          else db.run(sql, params, done);
        });
      },
      async get<T>(sql: string, params: readonly SqlValue[] = [], opts?: StatementOptions) {
        const st = opts?.keep ? await kept(sql) : undefined;
        return new Promise<T | undefined>((resolve, reject) => {
          if (st) st.all<T>(params, (err, rows) => (err ? reject(failed(err)) : resolve(rows[0])));
          else db.get<T>(sql, params, (err, row) => (err ? reject(failed(err)) : resolve(row)));
        });
      },
      async all<T>(sql: string, params: readonly SqlValue[] = [], opts?: StatementOptions) {
        const st = opts?.keep ? await kept(sql) : undefined;
        return new Promise<T[]>((resolve, reject) => {
          if (st) st.all<T>(params, (err, rows) => (err ? reject(failed(err)) : resolve(rows)));
          else db.all<T>(sql, params, (err, rows) => (err ? reject(failed(err)) : resolve(rows)));
        });
      },
      exec: (sql) => new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(failed(err)) : resolve()))),
    };
  }

  /**
   * The kept statement for this SQL: prepared now (one wait, the first time)
   * if it is not kept yet. A statement that fails to prepare rejects, and is
   * not kept. Beyond KEPT statements, the least recently used is finalized.
   */
  #keptStatement(sql: string): Promise<sqlite3.Statement> {
    let st = this.#kept.get(sql);
    if (st) {
      this.#kept.delete(sql); // re-inserted below: most recently used
    } else {
      st = new Promise<sqlite3.Statement>((resolve, reject) => {
        const prepared: sqlite3.Statement = this.#db.prepare(sql, (err) => (err ? reject(this.#fail(err)) : resolve(prepared)));
      });
      st.catch(() => {
        if (this.#kept.get(sql) === st) this.#kept.delete(sql); // the addon has finalized it
      });
      if (this.#kept.size >= KEPT) {
        const [oldest, old] = this.#kept.entries().next().value as [string, Promise<sqlite3.Statement>];
        this.#kept.delete(oldest);
        old.then((o) => o.finalize(), () => undefined); // queued behind its own runs, if any
      }
    }
    this.#kept.set(sql, st);
    return st;
  }

  static async open(path: string, opts: OpenOptions): Promise<Database> {
    const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new RangeError(`expected busyTimeoutMs to be an integer >= 0, got ${busyTimeoutMs}`);
    if (opts.create) await createPrivate(path);
    const mode = sqlite3.OPEN_READWRITE | (opts.create ? sqlite3.OPEN_CREATE : 0);
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d: sqlite3.Database = new sqlite3.Database(path, mode, (err) => (err ? reject(fail(err, path, busyTimeoutMs)) : resolve(d)));
    });
    const wrapped = new Database(db, path, busyTimeoutMs);
    try {
      await wrapped.raw.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
      await wrapped.raw.exec('PRAGMA journal_mode = WAL');
      await wrapped.raw.exec('PRAGMA synchronous = FULL');
      await wrapped.raw.exec('PRAGMA foreign_keys = ON');
    } catch (e) {
      await wrapped.close().catch(() => undefined);
      throw e;
    }
    return wrapped;
  }

  /** Another connection to the same file, set up the same way (for work that must not wait in this one's queue). */
  sibling(): Promise<Database> {
    return Database.open(this.path, { create: false, busyTimeoutMs: this.busyTimeoutMs });
  }

  /** Runs fn with the connection to itself: no other queued statement runs until it settles. */
  exclusive<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const result = this.#queue.then(() => fn(this.raw));
    this.#queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so a read-modify-write cannot lose an update. */
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return this.exclusive(async (sql) => {
      await sql.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(sql);
        await sql.exec('COMMIT');
        return out;
      } catch (e) {
        await sql.exec('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.exclusive((s) => s.get<T>(sql, params));
  }

  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.exclusive((s) => s.all<T>(sql, params));
  }

  /**
   * Copies the whole database into `destPath` with SQLite's online backup API
   * (https://sqlite.org/backup.html), in one step (sqlite3_backup_step(-1)):
   * every page is copied inside one read transaction, so the copy is the
   * database as one commit left it, and in WAL mode writers on other
   * connections go on meanwhile. A step refused with SQLITE_BUSY or
   * SQLITE_LOCKED (another connection holding what the step needs) is tried
   * again until busyTimeoutMs has passed; then SQLITE_BUSY is
   * DependencyTimeoutException, as everywhere. SQLite opens the destination
   * itself: the caller creates it, private, first.
   */
  backupTo(destPath: string): Promise<void> {
    return this.exclusive(async () => {
      const backup = await new Promise<SqliteBackup>((resolve, reject) => {
        const b = (this.#db as unknown as SqliteWithBackup).backup(destPath, (err) => (err ? reject(this.#fail(err)) : resolve(b)));
        b.on('error', () => undefined); // every failure also reaches a callback below
      });
      try {
        const deadline = Date.now() + this.busyTimeoutMs;
        for (;;) {
          try {
            if (await new Promise<boolean>((resolve, reject) => backup.step(-1, (err, done) => (err ? reject(err) : resolve(done === true))))) return;
          } catch (e) {
            const code = (e as { code?: unknown }).code;
            if ((code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') && Date.now() < deadline) {
              await new Promise((r) => setTimeout(r, 50));
              continue;
            }
            throw this.#fail(code === 'SQLITE_LOCKED' ? Object.assign(e as Error, { code: 'SQLITE_BUSY' }) : (e as Error));
          }
          if (backup.failed) throw new Error(`the online backup of ${this.path} failed`);
        }
      } finally {
        await new Promise<void>((resolve) => backup.finish(() => resolve()));
      }
    });
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      const kept = [...this.#kept.values()];
      this.#kept.clear();
      await Promise.all(kept.map((p) => p.then((st) => new Promise<void>((resolve) => st.finalize(() => resolve())), () => undefined)));
      await new Promise<void>((resolve, reject) => this.#db.close((err) => (err ? reject(this.#fail(err)) : resolve())));
    });
  }
}
