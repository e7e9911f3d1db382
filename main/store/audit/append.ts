// Appending records, with group commit (DESIGN §6: a result is returned
// only once its record is durable).
//
// add() resolves only once its record is committed (the connection runs
// synchronous=FULL, so committed = on disk). Appends that arrive while a
// commit is in flight wait and go together into the next one; the next
// commit starts before the callers of the last one are woken, so SQLite
// commits it while they run their next calls (a crowd of appends arriving
// at once is split in two to get this going; see #startNext). A batch is
// committed in one of two ways:
//   - usually one statement: a multi-row INSERT … SELECT … WHERE <each
//     account's last seq is still the one the hashes were computed from>.
//     A single statement is its own transaction, so the guard reads the
//     heads inside the transaction that writes; if another process appended
//     meanwhile, the guard fails, nothing is written, and the batch takes
//     the path below. One statement is one trip through the sqlite3 addon
//     instead of four (BEGIN, read the heads, INSERT, COMMIT);
//   - otherwise (first batch for an account, a moved head, a batch that
//     claims intents or is too big for one statement): BEGIN IMMEDIATE,
//     claim the intents (see claim), read each account's last seq and hash,
//     multi-row INSERTs under SQLite's variable limit, COMMIT.
// If the batch cannot be committed, every append in it rejects, and the
// caller must fail the call whose record it was.
import { KmsError } from '../../core/errors.js';
import { EMPTY_HEAD, recordHashOf, type ChainHead } from '../../core/audit/chain.js';
import type { Database, Sql, SqlValue } from '../sqlite.js';
import type { Columns } from './columns.js';

/** pages of WAL past which the appends' connection checkpoints it itself (see #setUp; SQLite's default is 1000) */
const WAL_LAST_RESORT = 10_000;
/** appends that arrive together are committed in two halves from this many on (see #startNext) */
const SPLIT_AT = 32;
/** accounts (or intents) per statement that reads heads (or claims intents) */
const PER_SELECT = 200;
/** SQLITE_MAX_VARIABLE_NUMBER: 999 before SQLite 3.32.0, 32766 since (https://sqlite.org/limits.html) */
const maxVariables = (version: string) => {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > 3 || (a === 3 && b >= 32) ? 32766 : 999;
};

const COLUMNS = '(account, seq, prev_hash, hash, event_time, event_name, user_name, key_arn, other_key_arns, event_json)';
/** values bound per row, one per column */
const ROW_VALUES = 10;
const valueRows = (rows: number) => Array(rows).fill(`(${Array(ROW_VALUES).fill('?').join(', ')})`).join(', ');
/** Rows of values, as they are. */
const insertSql = (rows: number) => `INSERT INTO audit_events ${COLUMNS} VALUES ${valueRows(rows)}`;
/** Rows of values, only if each of `accounts` accounts' last seq is still the one bound after the rows (NULL: none). */
const guardedInsertSql = (rows: number, accounts: number) =>
  `INSERT INTO audit_events ${COLUMNS} SELECT * FROM (VALUES ${valueRows(rows)}) WHERE ` +
  Array(accounts).fill('(SELECT max(seq) FROM audit_events WHERE account = ?) IS ?').join(' AND ');

/** An append waiting for its commit. */
export interface Pending extends Columns {
  account: string;
  /** the requestId of the intent this record replaces (ports.ts AuditIntent), if any */
  claims: string | undefined;
  eventJson: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Records (before, after] of an account were committed. */
export type Span = { before: number; after: number };

export function auditWriteFailed(cause: unknown): KmsError {
  // the vault locked by another program: that, named, is what the caller can act on
  if (cause instanceof KmsError && cause.name === 'DependencyTimeoutException') return cause;
  const e = new KmsError('KMSInternalException', 'The audit record of this call could not be written, so the call cannot complete; see the Strongroom log for details.');
  e.cause = cause;
  return e;
}

export interface GroupCommitOptions {
  /** the most appends one transaction carries */
  maxBatch: number;
  log: (message: string, error?: unknown) => void;
  /** told, after each commit, which records of which accounts it committed */
  committed: (spans: Map<string, Span>) => void;
}

export class GroupCommit {
  readonly #db: Database;
  readonly #opts: GroupCommitOptions;
  #maxVariables: number | undefined;
  #pending: Pending[] = [];
  #draining: Promise<void> | undefined;
  /** the last seq and hash this instance committed per account: the guess the one-statement commit checks */
  readonly #heads = new Map<string, ChainHead>();

  constructor(db: Database, opts: GroupCommitOptions) {
    this.#db = db;
    this.#opts = opts;
  }

  /** Queues a record (checked by the caller); resolves once it is committed. */
  add(p: Omit<Pending, 'resolve' | 'reject'>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ ...p, resolve, reject });
      this.#kick(true);
    });
  }

  /** Resolves when every record added so far is committed (or rejected). */
  async settled(): Promise<void> {
    for (;;) {
      if (this.#draining) await this.#draining;
      else if (this.#pending.length) this.#kick(true);
      else return;
    }
  }

  /** Starts draining unless a drain is running; `gather` first lets the rest of this event-loop turn's appends arrive. */
  #kick(gather: boolean): void {
    if (this.#draining) return;
    this.#draining = this.#drain(gather).finally(() => {
      this.#draining = undefined;
      // appends that arrived as the last batch's callers resumed: they are all here already
      if (this.#pending.length) this.#kick(false);
    });
  }

  async #drain(gather: boolean): Promise<void> {
    if (gather) await new Promise((resolve) => setImmediate(resolve));
    let current = this.#startNext(true);
    while (current) {
      let spans: Map<string, Span> | undefined;
      let failure: unknown;
      try {
        spans = await current.commit;
      } catch (e) {
        failure = e;
      }
      const done = current;
      // Start the next commit (if appends are waiting) before waking this batch's appenders:
      // SQLite commits it while they run their next calls.
      current = this.#startNext(false);
      if (spans) {
        for (const p of done.batch) p.resolve();
        this.#opts.committed(spans);
      } else {
        this.#opts.log('audit append failed', failure);
        const err = auditWriteFailed(failure);
        for (const p of done.batch) p.reject(err);
      }
    }
  }

  /**
   * Takes the next batch off the waiting appends and starts committing it.
   * When no commit was running (`fromIdle`), the appends waiting arrived
   * together: the callers a commit or a freshness check released all resume
   * in one event-loop turn, run their calls and append in that same turn. A
   * crowd of them (SPLIT_AT or more) is split in two: the second half
   * commits while the callers of the first half are back at work, so
   * SQLite's work (on libuv's threadpool) overlaps the JavaScript of the
   * next calls instead of alternating with it, and from then on the two
   * halves take turns. Fewer appends than that go in one commit, as does
   * everything waiting when a commit ends.
   */
  #startNext(fromIdle: boolean): { batch: Pending[]; commit: Promise<Map<string, Span>> } | undefined {
    if (this.#pending.length === 0) return undefined;
    let take = Math.min(this.#pending.length, this.#opts.maxBatch);
    if (fromIdle && take >= SPLIT_AT) take = Math.ceil(take / 2);
    const batch = this.#pending.splice(0, take);
    const commit = this.#commit(batch);
    commit.catch(() => undefined); // observed by #drain
    return { batch, commit };
  }

  /**
   * Once, before the first commit: SQLite's variable limit, and the
   * appends' connection checkpoints the WAL only as a last resort. A
   * checkpoint copies the WAL's pages into the database file and syncs it;
   * run by the connection whose commit crossed wal_autocheckpoint, it holds
   * up that commit and every append waiting behind it. The maintenance
   * connection checkpoints instead (maintenance.ts), off the appends' path;
   * this connection still does it past WAL_LAST_RESORT pages (if
   * maintenance stopped, or cannot catch up with a WAL that is never quiet).
   */
  async #setUp(): Promise<number> {
    return this.#db.exclusive(async (sql) => {
      await sql.exec(`PRAGMA wal_autocheckpoint = ${WAL_LAST_RESORT}`);
      return maxVariables((await sql.get<{ v: string }>('SELECT sqlite_version() AS v'))?.v ?? '0');
    });
  }

  async #commit(batch: readonly Pending[]): Promise<Map<string, Span>> {
    const accounts = [...new Set(batch.map((p) => p.account))];
    const maxParams = (this.#maxVariables ??= await this.#setUp());
    // The one-statement commit (see the file comment). A batch that claims intents takes the
    // transaction below: the claims and the records commit together.
    if (
      accounts.every((a) => this.#heads.has(a)) &&
      batch.every((p) => p.claims === undefined) &&
      batch.length * ROW_VALUES + accounts.length * 2 <= maxParams
    ) {
      const heads = new Map(accounts.map((a) => [a, this.#heads.get(a)!]));
      const guards = accounts.flatMap((a) => [a, heads.get(a)!.seq === 0 ? null : heads.get(a)!.seq]);
      const { values, spans } = chainRows(batch, heads);
      try {
        const { changes } = await this.#db.exclusive((sql) => sql.run(guardedInsertSql(batch.length, accounts.length), [...values, ...guards]));
        if (changes === batch.length) {
          for (const [a, h] of heads) this.#heads.set(a, h);
          return spans;
        }
      } catch (e) {
        this.#opts.log('audit append: the one-statement commit failed; retrying in a transaction', e);
      }
    }
    // Another writer moved a head, or this instance has not seen the account yet, or the batch claims intents or is too big.
    for (const a of accounts) this.#heads.delete(a);
    const { heads, spans } = await this.#db.transaction(async (sql) => {
      const rows = await claim(sql, batch);
      const heads = await readHeads(sql, accounts);
      const { values, spans } = chainRows(rows, heads);
      const perStatement = Math.floor(maxParams / ROW_VALUES) * ROW_VALUES;
      for (let i = 0; i < values.length; i += perStatement) {
        const part = values.slice(i, i + perStatement);
        await sql.run(insertSql(part.length / ROW_VALUES), part);
      }
      return { heads, spans };
    });
    for (const a of accounts) this.#heads.set(a, heads.get(a) ?? EMPTY_HEAD);
    return spans;
  }
}

/** The column values of the rows, chained onto `heads` (advanced as rows are added), and the records added per account. */
function chainRows(rows: readonly Pending[], heads: Map<string, ChainHead>): { values: SqlValue[]; spans: Map<string, Span> } {
  const values: SqlValue[] = [];
  const spans = new Map<string, Span>();
  for (const p of rows) {
    const head = heads.get(p.account) ?? EMPTY_HEAD;
    const seq = head.seq + 1;
    const hash = recordHashOf(seq, head.hash, p.eventJson);
    values.push(p.account, seq, head.hash, hash, p.time, p.name, p.user, p.keyArn, p.otherKeyArns, p.eventJson);
    heads.set(p.account, { seq, hash });
    const span = spans.get(p.account);
    if (span) span.after = seq;
    else spans.set(p.account, { before: head.seq, after: seq });
  }
  return { values, spans };
}

/** The last seq and hash of each account (absent: an empty chain), in one statement per PER_SELECT accounts. */
async function readHeads(sql: Sql, accounts: readonly string[]): Promise<Map<string, ChainHead>> {
  const heads = new Map<string, ChainHead>();
  for (let i = 0; i < accounts.length; i += PER_SELECT) {
    const part = accounts.slice(i, i + PER_SELECT);
    // Each arm finds its account's last row through the primary key.
    const q = part.map(() => 'SELECT * FROM (SELECT account, seq, hash FROM audit_events WHERE account = ? ORDER BY seq DESC LIMIT 1)').join(' UNION ALL ');
    for (const r of await sql.all<{ account: string; seq: number; hash: string }>(q, part)) heads.set(r.account, { seq: r.seq, hash: r.hash });
  }
  return heads;
}

/**
 * Deletes the intents the batch's records claim, inside the transaction
 * that appends them, and returns the records to insert: a record whose
 * intent is already gone was appended by recovery (recover.ts), which
 * claims intents the same way, so exactly one of the two writes it.
 */
async function claim(sql: Sql, batch: readonly Pending[]): Promise<readonly Pending[]> {
  const ids = batch.flatMap((p) => (p.claims === undefined ? [] : [p.claims]));
  if (ids.length === 0) return batch;
  const claimed = new Set<string>();
  for (let i = 0; i < ids.length; i += PER_SELECT) {
    const part = ids.slice(i, i + PER_SELECT);
    const rows = await sql.all<{ request_id: string }>(`DELETE FROM audit_intents WHERE request_id IN (${part.map(() => '?').join(', ')}) RETURNING request_id`, part);
    for (const r of rows) claimed.add(r.request_id);
  }
  return batch.filter((p) => p.claims === undefined || claimed.has(p.claims));
}
