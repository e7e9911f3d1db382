// A small promise layer over the `sqlite3` package (N-API, async). One
// connection per process; every statement goes through one queue so that a
// transaction's statements are never interleaved with another caller's.
// Pragmas (https://sqlite.org/pragma.html): WAL so the desktop app and the
// CLI can read while the other writes; synchronous=FULL so a commit is on
// disk when it returns; foreign_keys on; busy_timeout so a writer waits for
// another process's lock instead of failing.
import sqlite3 from 'sqlite3';

export type SqlValue = string | number | bigint | Buffer | null;
export type Row = Record<string, SqlValue>;

export interface Sql {
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

export class Database {
  readonly #db: sqlite3.Database;
  #queue: Promise<unknown> = Promise.resolve();
  /** statements that run directly, without the queue: only for use inside `exclusive` */
  readonly raw: Sql;

  private constructor(db: sqlite3.Database) {
    this.#db = db;
    this.raw = {
      run: (sql, params = []) =>
        new Promise((resolve, reject) =>
          db.run(sql, params, function (err) {
            if (err) reject(err);
            else resolve({ changes: this.changes });
          }),
        ),
      get: <T>(sql: string, params: readonly SqlValue[] = []) =>
        new Promise<T | undefined>((resolve, reject) => db.get<T>(sql, params, (err, row) => (err ? reject(err) : resolve(row)))),
      all: <T>(sql: string, params: readonly SqlValue[] = []) =>
        new Promise<T[]>((resolve, reject) => db.all<T>(sql, params, (err, rows) => (err ? reject(err) : resolve(rows)))),
      exec: (sql) => new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve()))),
    };
  }

  static async open(path: string, opts: { create: boolean }): Promise<Database> {
    const mode = sqlite3.OPEN_READWRITE | (opts.create ? sqlite3.OPEN_CREATE : 0);
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d: sqlite3.Database = new sqlite3.Database(path, mode, (err) => (err ? reject(err) : resolve(d)));
    });
    const wrapped = new Database(db);
    await wrapped.raw.exec('PRAGMA busy_timeout = 10000');
    await wrapped.raw.exec('PRAGMA journal_mode = WAL');
    await wrapped.raw.exec('PRAGMA synchronous = FULL');
    await wrapped.raw.exec('PRAGMA foreign_keys = ON');
    return wrapped;
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

  close(): Promise<void> {
    return this.exclusive(
      () => new Promise<void>((resolve, reject) => this.#db.close((err) => (err ? reject(err) : resolve()))),
    );
  }
}
