// A small promise layer over the `sqlite3` package (N-API, async). One
// connection per process; every statement goes through one queue so that a
// transaction's statements are never interleaved with another caller's.
// Pragmas (https://sqlite.org/pragma.html): WAL so the desktop app and the
// CLI can read while the other writes; synchronous=FULL so a commit is on
// disk when it returns; foreign_keys on; busy_timeout so a writer waits for
// another process's lock instead of failing.
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
import sqlite3 from 'sqlite3';

export type SqlValue = string | number | bigint | Buffer | null;
export type Row = Record<string, SqlValue>;

export interface StatementOptions {
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

export class Database {
  readonly #db: sqlite3.Database;
  /** the file this connection is to */
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();
  /** statements that run directly, without the queue: only for use inside `exclusive` */
  readonly raw: Sql;

  /** kept statements by SQL text (prepared, or being prepared), least recently used first */
  readonly #kept = new Map<string, Promise<sqlite3.Statement>>();

  private constructor(db: sqlite3.Database, path: string) {
    this.#db = db;
    this.path = path;
    const kept = (sql: string) => this.#keptStatement(sql);
    this.raw = {
      async run(sql, params = [], opts) {
        const st = opts?.keep ? await kept(sql) : undefined;
        return new Promise((resolve, reject) => {
          const done = function (this: sqlite3.RunResult, err: Error | null) {
            if (err) reject(err);
            else resolve({ changes: this.changes });
          };
          if (st) st.run(params, done);
          else db.run(sql, params, done);
        });
      },
      async get<T>(sql: string, params: readonly SqlValue[] = [], opts?: StatementOptions) {
        const st = opts?.keep ? await kept(sql) : undefined;
        return new Promise<T | undefined>((resolve, reject) => {
          if (st) st.all<T>(params, (err, rows) => (err ? reject(err) : resolve(rows[0])));
          else db.get<T>(sql, params, (err, row) => (err ? reject(err) : resolve(row)));
        });
      },
      async all<T>(sql: string, params: readonly SqlValue[] = [], opts?: StatementOptions) {
        const st = opts?.keep ? await kept(sql) : undefined;
        return new Promise<T[]>((resolve, reject) => {
          if (st) st.all<T>(params, (err, rows) => (err ? reject(err) : resolve(rows)));
          else db.all<T>(sql, params, (err, rows) => (err ? reject(err) : resolve(rows)));
        });
      },
      exec: (sql) => new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve()))),
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
        const prepared: sqlite3.Statement = this.#db.prepare(sql, (err) => (err ? reject(err) : resolve(prepared)));
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

  static async open(path: string, opts: { create: boolean }): Promise<Database> {
    const mode = sqlite3.OPEN_READWRITE | (opts.create ? sqlite3.OPEN_CREATE : 0);
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d: sqlite3.Database = new sqlite3.Database(path, mode, (err) => (err ? reject(err) : resolve(d)));
    });
    const wrapped = new Database(db, path);
    await wrapped.raw.exec('PRAGMA busy_timeout = 10000');
    await wrapped.raw.exec('PRAGMA journal_mode = WAL');
    await wrapped.raw.exec('PRAGMA synchronous = FULL');
    await wrapped.raw.exec('PRAGMA foreign_keys = ON');
    return wrapped;
  }

  /** Another connection to the same file, set up the same way (for work that must not wait in this one's queue). */
  sibling(): Promise<Database> {
    return Database.open(this.path, { create: false });
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
    return this.exclusive(async () => {
      const kept = [...this.#kept.values()];
      this.#kept.clear();
      await Promise.all(kept.map((p) => p.then((st) => new Promise<void>((resolve) => st.finalize(() => resolve())), () => undefined)));
      await new Promise<void>((resolve, reject) => this.#db.close((err) => (err ? reject(err) : resolve())));
    });
  }
}
