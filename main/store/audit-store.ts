// The audit trail in SQLite (migration 0002; record format in core/audit).
//
// Durability with group commit. append() resolves only once its record is
// committed (the connection runs synchronous=FULL, so committed = on disk).
// Appends that arrive while a commit is in flight wait and go together into
// the next single transaction; the next commit starts before the callers of
// the last one are woken, so SQLite commits it while they run their next
// calls (a crowd of appends arriving at once is split in two to get this
// going; see #startNext). A statement round trip through the sqlite3 addon
// costs ~100 µs and a commit an fsync, so the batch is written with as few
// statements as possible:
//   - usually one: a multi-row INSERT … SELECT … WHERE <each account's last
//     seq is still the one the hashes were computed from>. A single
//     statement is its own transaction, so the guard reads the heads inside
//     the transaction that writes; if another process appended meanwhile,
//     the guard fails, nothing is written, and the batch takes the path below;
//     For one account (the usual case) it is a kept statement (sqlite.ts:
//     prepared once, one trip through the threadpool; see planKept); for
//     several, a statement made for the batch that binds each value once
//     (planInsert). Binding runs on the event loop, which limits throughput;
//   - otherwise (first batch for an account, a moved head, a batch too big
//     for one statement): BEGIN IMMEDIATE, read each account's last seq and
//     hash, multi-row INSERTs chunked under SQLite's variable limit, COMMIT.
// If the batch cannot be committed, every append in it rejects, and the
// caller must fail the call whose record it was.
//
// After commits, off the hot path, per account and one at a time, on a
// second connection (see #maintain, #maintenanceDb):
//   - digests: when a chain passes a multiple of digestEvery, the digests
//     for those boundaries are signed and written (the signer may read the
//     vault, so never inside a transaction of ours); close() writes one more
//     over each chain's tail. Two writers racing for the same digest are
//     settled by the guarded INSERT that writes them: the loser sees that the
//     last digest moved and starts over from it;
//   - the block index for lookups (audit_blocks, audit_lookup; see migration
//     0002), one block per run, written by two INSERT … SELECTs that run
//     entirely inside SQLite. Lookups read the blocks that can match and the
//     records not yet in a block, so they never wait for this.
import { KmsError, validation } from '../core/errors.js';
import { canonicalJson, EMPTY_HEAD, nextRecordHash, recordHashOf, type ChainHead, type StoredRecord } from '../core/audit/chain.js';
import { digestBoundaries, DEFAULT_DIGEST_EVERY, isAuditDigest, makeDigest, signDigest, type AuditDigest, type AuditSigner, type SignedDigest } from '../core/audit/digest.js';
import { primaryKeyArn, type AuditEvent } from '../core/audit/event.js';
import { ExportWriter } from '../core/audit/export.js';
import type { AuditKeyRecord, AuditKeySource } from '../core/audit/signing-key.js';
import { verifyChain, type Problem, type VerifyResult } from '../core/audit/verify.js';
import { anchorOf, anchorProblem, type AnchorStore } from '../core/anchor.js';
import { RowMac } from '../core/row-mac.js';
import type { KeyObject } from 'node:crypto';
import type { AuditLookup } from '../core/ports.js';
import type { Database, Sql, SqlValue } from './sqlite.js';

const ACCOUNT = /^\d{12}$/;
/** pages of WAL past which the appends' connection checkpoints it itself (see #setUp; SQLite's default is 1000) */
const WAL_LAST_RESORT = 10_000;
/** appends that arrive together are committed in two halves from this many on (see #startNext) */
const SPLIT_AT = 32;
/** accounts per head-reading statement */
const HEADS_PER_SELECT = 200;
/** records read per statement when exporting or verifying, and indexed per transaction */
const READ_CHUNK = 5000;
/** SQLITE_MAX_VARIABLE_NUMBER: 999 before SQLite 3.32.0, 32766 since (https://sqlite.org/limits.html) */
const maxVariables = (version: string) => {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > 3 || (a === 3 && b >= 32) ? 32766 : 999;
};

export interface AuditLogOptions {
  /** a digest every this many records of an account (default 1000) */
  digestEvery?: number;
  /** the most appends one transaction carries (default 4096) */
  maxBatch?: number;
  /** epoch ms for digest and export times */
  clock?: () => number;
  /** where failures that no caller is waiting for go (digest writes) */
  log?: (message: string, error?: unknown) => void;
  /** where each trail's newest signed digest is remembered outside the database (core/anchor.ts) */
  anchor?: AnchorStore;
  /** checks the MACs of audit intents (core/row-mac.ts) before recovery appends them */
  rowMac?: RowMac;
}

/** The filters of AuditTrail.lookup (core/ports.ts). */
export type LookupFilters = AuditLookup;

export interface LookupResult {
  /** newest first */
  events: { seq: number; event: AuditEvent }[];
  nextToken?: string;
}

interface Pending {
  account: string;
  /** the requestId of the intent this record replaces (ports.ts AuditIntent), if any */
  claims: string | undefined;
  eventJson: string;
  time: number;
  name: string;
  user: string | null;
  keyArn: string | null;
  otherKeyArns: string | null;
  resolve: () => void;
  reject: (e: unknown) => void;
}

type Span = { before: number; after: number };
/** head: the last record, if there are records after the last digest */
type DigestState = { lastJson: string | undefined; hashes: Map<number, string>; head: number | undefined };

/** SQLite stores text as UTF-8, turning lone surrogates into U+FFFD; the copy we compare with must too. */
const wellFormed = (s: string | null): string | null => (s === null ? null : Buffer.from(s, 'utf8').toString('utf8'));

type Columns = { time: number; name: string; user: string | null; keyArn: string | null; otherKeyArns: string | null };
/** The columns copied out of an event for lookups. */
function columnsOf(event: AuditEvent): Columns {
  const time = Date.parse(event.eventTime);
  if (!Number.isFinite(time)) throw new TypeError(`expected eventTime to be an ISO-8601 time, got ${JSON.stringify(event.eventTime)}`);
  if (typeof event.eventName !== 'string' || event.eventName === '') throw new TypeError('expected a non-empty eventName');
  const resources = Array.isArray(event.resources) ? event.resources : [];
  return {
    time,
    name: event.eventName,
    user: event.userIdentity?.userName ?? null,
    keyArn: primaryKeyArn(event),
    otherKeyArns: resources.length > 1 ? JSON.stringify(resources.slice(1).map((r) => r.ARN)) : null,
  };
}

const INSERT_COLUMNS = 'INSERT INTO audit_events (account, seq, prev_hash, hash, event_time, event_name, user_name, key_arn, other_key_arns, event_json)';

/**
 * A multi-row INSERT of batch[from…] on top of `heads` (advanced as rows are
 * added), holding as many rows as `maxParams` bound values allow. Binding
 * costs the event loop about half a microsecond per value, so a value is
 * bound once however many rows use it: the account, each record's hash
 * (which is the next record's prev_hash), event names, user names and key
 * ARNs are numbered parameters (?NNN) that rows refer to; seqs and event
 * times are integers we computed, written into the statement. So a row binds
 * about two values (its hash and its event) instead of ten. With `guard`,
 * the rows are inserted only if each account's last seq is still the one
 * the hashes were computed from (the one-statement commit).
 */
function planInsert(
  batch: readonly Pending[],
  from: number,
  heads: Map<string, ChainHead>,
  spans: Map<string, Span>,
  maxParams: number,
  guard: boolean,
): { sql: string; params: SqlValue[]; rows: number } {
  const params: SqlValue[] = [];
  const refs = new Map<string, string>();
  /** the parameter holding a string value (one per distinct value); NULL for null */
  const ref = (v: string | null): string => {
    if (v === null) return 'NULL';
    let r = refs.get(v);
    if (r === undefined) {
      params.push(v);
      r = `?${params.length}`;
      refs.set(v, r);
    }
    return r;
  };
  /** per account: the parameter holding its current head hash */
  const headRef = new Map<string, string>();
  const guards: string[] = [];
  const rows: string[] = [];
  let i = from;
  for (; i < batch.length; i++) {
    const p = batch[i]!;
    // at most 8 new values for this row (account, head hash, hash, name, user, key, other keys, event)
    if (params.length + 8 > maxParams && rows.length > 0) break;
    const head = heads.get(p.account) ?? EMPTY_HEAD;
    let prevRef = headRef.get(p.account);
    if (prevRef === undefined) {
      if (guard) guards.push(`(SELECT max(seq) FROM audit_events WHERE account = ${ref(p.account)}) IS ${head.seq === 0 ? 'NULL' : head.seq}`);
      prevRef = ref(head.hash);
    }
    const seq = head.seq + 1;
    const hash = recordHashOf(seq, head.hash, p.eventJson);
    params.push(hash);
    const hashRef = `?${params.length}`;
    params.push(p.eventJson);
    const eventRef = `?${params.length}`;
    let time: string;
    if (Number.isSafeInteger(p.time)) time = String(p.time);
    else {
      params.push(p.time);
      time = `?${params.length}`;
    }
    rows.push(`(${ref(p.account)},${seq},${prevRef},${hashRef},${time},${ref(p.name)},${ref(p.user)},${ref(p.keyArn)},${ref(p.otherKeyArns)},${eventRef})`);
    heads.set(p.account, { seq, hash });
    headRef.set(p.account, hashRef);
    const span = spans.get(p.account);
    if (span) span.after = seq;
    else spans.set(p.account, { before: head.seq, after: seq });
  }
  const values = rows.join(',');
  const sql = guard ? `${INSERT_COLUMNS} SELECT * FROM (VALUES ${values}) WHERE ${guards.join(' AND ')}` : `${INSERT_COLUMNS} VALUES ${values}`;
  return { sql, params, rows: i - from };
}

/**
 * Batch sizes the usual commit (one account, head known) has a kept
 * statement for (sqlite.ts): a batch is padded up to the next size with
 * rows of NULLs, which the statement leaves out. Each step is at most 1.5×
 * the one before, so padding costs at most a third more rows; larger
 * batches take planInsert.
 */
const KEPT_ROWS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];
/** bound values of the kept statement: the account, its head seq and hash, then per row: */
const KEPT_FIXED = 3;
/** hash, event_time, event_name, user_name, key_arn, other_key_arns, event_json */
const KEPT_PER_ROW = 7;
const keptSqlCache = new Map<number, string>();
/**
 * The kept one-statement commit of `rows` rows of one account (?1), on top of
 * its head seq ?2 (NULL for an empty chain) and hash ?3: seqs count up from
 * ?2, each prev_hash is the hash bound for the row before, and the guard
 * inserts nothing unless ?2 is still the account's last seq.
 */
function keptInsertSql(rows: number): string {
  let sql = keptSqlCache.get(rows);
  if (sql === undefined) {
    const values: string[] = [];
    for (let i = 0; i < rows; i++) {
      const p = KEPT_FIXED + 1 + KEPT_PER_ROW * i;
      const prev = i === 0 ? '?3' : `?${p - KEPT_PER_ROW}`;
      values.push(`(?1, coalesce(?2, 0) + ${i + 1}, ${prev}, ?${p}, ?${p + 1}, ?${p + 2}, ?${p + 3}, ?${p + 4}, ?${p + 5}, ?${p + 6})`);
    }
    sql = `${INSERT_COLUMNS} SELECT * FROM (VALUES ${values.join(', ')}) WHERE column4 IS NOT NULL AND (SELECT max(seq) FROM audit_events WHERE account = ?1) IS ?2`;
    keptSqlCache.set(rows, sql);
  }
  return sql;
}

/** The kept statement and its values for a batch of one account on top of `head` (advanced), or undefined if none fits. */
function planKept(batch: readonly Pending[], account: string, heads: Map<string, ChainHead>, spans: Map<string, Span>, maxParams: number): { sql: string; params: SqlValue[] } | undefined {
  const rows = KEPT_ROWS.find((n) => n >= batch.length);
  if (rows === undefined || KEPT_FIXED + KEPT_PER_ROW * rows > maxParams) return undefined;
  const head = heads.get(account) ?? EMPTY_HEAD;
  const params: SqlValue[] = new Array(KEPT_FIXED + KEPT_PER_ROW * rows).fill(null);
  params[0] = account;
  params[1] = head.seq === 0 ? null : head.seq;
  params[2] = head.hash;
  let { seq, hash } = head;
  let v = KEPT_FIXED;
  for (const p of batch) {
    // the head is checked once; the hashes after it are ours
    hash = seq === head.seq ? recordHashOf(++seq, hash, p.eventJson) : nextRecordHash(++seq, hash, p.eventJson);
    params[v++] = hash;
    params[v++] = p.time;
    params[v++] = p.name;
    params[v++] = p.user;
    params[v++] = p.keyArn;
    params[v++] = p.otherKeyArns;
    params[v++] = p.eventJson;
  }
  heads.set(account, { seq, hash });
  spans.set(account, { before: head.seq, after: seq });
  return { sql: keptInsertSql(rows), params };
}

/** The further key ARNs of an event naming several (a JSON array, NULL for almost every event), as a table `alias`. */
const OTHER_ARNS = (alias: string) => `json_each(CASE WHEN json_valid(e.other_key_arns) THEN e.other_key_arns ELSE '[]' END) ${alias}`;

/** The next block of account ?1 to index: records (f, t], after the last block, at most ?2 of them, ending at ?3 at the latest. */
const NEXT_BLOCK = `WITH r(f, t) AS (SELECT f, min(h, f + ?2, ?3) FROM (SELECT coalesce((SELECT max(to_seq) FROM audit_blocks WHERE account = ?1), 0) AS f,
                                                          coalesce((SELECT max(seq) FROM audit_events WHERE account = ?1), 0) AS h))`;
/** Indexes the next block: the distinct attribute values in it… */
const INDEX_VALUES_SQL = `${NEXT_BLOCK}
  INSERT OR IGNORE INTO audit_lookup (account, attribute, value, from_seq)
  SELECT ?1, 'EventName', e.event_name, r.f + 1 FROM r, audit_events e WHERE e.account = ?1 AND e.seq > r.f AND e.seq <= r.t
  UNION SELECT ?1, 'Username', e.user_name, r.f + 1 FROM r, audit_events e WHERE e.account = ?1 AND e.seq > r.f AND e.seq <= r.t AND e.user_name IS NOT NULL
  UNION SELECT ?1, 'ResourceName', e.key_arn, r.f + 1 FROM r, audit_events e WHERE e.account = ?1 AND e.seq > r.f AND e.seq <= r.t AND e.key_arn IS NOT NULL
  UNION SELECT ?1, 'ResourceName', j.value, r.f + 1 FROM r, audit_events e, ${OTHER_ARNS('j')}
    WHERE e.account = ?1 AND e.seq > r.f AND e.seq <= r.t AND e.other_key_arns IS NOT NULL AND j.type = 'text'`;
/** …then the block itself with its time range (this statement must come second: it moves the next block on). */
const INDEX_BLOCK_SQL = `${NEXT_BLOCK}
  INSERT INTO audit_blocks (account, from_seq, to_seq, min_time, max_time)
  SELECT ?1, r.f + 1, r.t, min(e.event_time), max(e.event_time) FROM r, audit_events e WHERE e.account = ?1 AND e.seq > r.f AND e.seq <= r.t GROUP BY r.f`;

/** In one statement: the last digest of account ?1, and the hash of each record after it that is a multiple of ?2 or the last one. */
const DIGEST_STATE_SQL = `SELECT NULL AS seq, digest_json AS v FROM (SELECT digest_json FROM audit_digests WHERE account = ?1 ORDER BY to_seq DESC LIMIT 1)
  UNION ALL SELECT seq, hash FROM audit_events WHERE account = ?1 AND seq > coalesce((SELECT max(to_seq) FROM audit_digests WHERE account = ?1), 0)
    AND (seq % ?2 = 0 OR seq = (SELECT max(seq) FROM audit_events WHERE account = ?1))`;
/** Digests for an account, written only if its last digest is still the one they follow. */
const guardedDigestSql = (n: number) =>
  `INSERT INTO audit_digests (account, to_seq, digest_json, signature) SELECT * FROM (VALUES ${Array(n).fill('(?, ?, ?, ?)').join(', ')})
   WHERE (SELECT coalesce(max(to_seq), 0) FROM audit_digests WHERE account = ?) = ?`;

/** What the index must hold for the blocks up to record ?2, compared with what it holds (first 20 blocks that differ). */
const INDEX_CHECK_SQL = `WITH b AS (SELECT from_seq, to_seq, min_time, max_time FROM audit_blocks WHERE account = ?1 AND to_seq <= ?2),
  expected(attribute, value, from_seq) AS (
    SELECT 'EventName', e.event_name, b.from_seq FROM b JOIN audit_events e ON e.account = ?1 AND e.seq BETWEEN b.from_seq AND b.to_seq
    UNION SELECT 'Username', e.user_name, b.from_seq FROM b JOIN audit_events e ON e.account = ?1 AND e.seq BETWEEN b.from_seq AND b.to_seq WHERE e.user_name IS NOT NULL
    UNION SELECT 'ResourceName', e.key_arn, b.from_seq FROM b JOIN audit_events e ON e.account = ?1 AND e.seq BETWEEN b.from_seq AND b.to_seq WHERE e.key_arn IS NOT NULL
    UNION SELECT 'ResourceName', j.value, b.from_seq FROM b JOIN audit_events e ON e.account = ?1 AND e.seq BETWEEN b.from_seq AND b.to_seq, ${OTHER_ARNS('j')}
      WHERE e.other_key_arns IS NOT NULL AND j.type = 'text')
  SELECT (SELECT group_concat(from_seq) FROM (SELECT DISTINCT x.from_seq FROM expected x WHERE NOT EXISTS (
            SELECT 1 FROM audit_lookup l WHERE l.account = ?1 AND l.attribute = x.attribute AND l.value = x.value AND l.from_seq = x.from_seq) ORDER BY 1 LIMIT 20)) AS missing,
         (SELECT group_concat(from_seq) FROM (SELECT b.from_seq FROM b WHERE (b.min_time, b.max_time) IS NOT
            (SELECT min(event_time), max(event_time) FROM audit_events WHERE account = ?1 AND seq BETWEEN b.from_seq AND b.to_seq) ORDER BY 1 LIMIT 20)) AS bad_times,
         (SELECT count(*) FROM audit_lookup l WHERE l.account = ?1 AND (
            (l.from_seq IN (SELECT from_seq FROM b) AND NOT EXISTS (SELECT 1 FROM expected x WHERE x.attribute = l.attribute AND x.value = l.value AND x.from_seq = l.from_seq))
            OR NOT EXISTS (SELECT 1 FROM audit_blocks a WHERE a.account = ?1 AND a.from_seq = l.from_seq))) AS extra`;

/** GLOB has no escape character; a bracket expression matches a special character literally. */
const globLiteral = (s: string) => s.replace(/[*?[]/g, (c) => `[${c}]`);

/** The last seq and hash of each account (absent: an empty chain), in one statement per HEADS_PER_SELECT accounts. */
async function readHeads(sql: Sql, accounts: readonly string[]): Promise<Map<string, ChainHead>> {
  const heads = new Map<string, ChainHead>();
  for (let i = 0; i < accounts.length; i += HEADS_PER_SELECT) {
    const part = accounts.slice(i, i + HEADS_PER_SELECT);
    // Each arm finds its account's last row through the primary key.
    const q = part.map(() => 'SELECT * FROM (SELECT account, seq, hash FROM audit_events WHERE account = ? ORDER BY seq DESC LIMIT 1)').join(' UNION ALL ');
    for (const r of await sql.all<{ account: string; seq: number; hash: string }>(q, part)) heads.set(r.account, { seq: r.seq, hash: r.hash });
  }
  return heads;
}

/**
 * Deletes the intents the batch's records claim, inside the transaction
 * that appends them, and returns the records to insert: a record whose
 * intent is already gone was appended by recovery (AuditLog.recover), which
 * claims intents the same way, so exactly one of the two writes it.
 */
async function claim(sql: Sql, batch: readonly Pending[]): Promise<readonly Pending[]> {
  const ids = batch.flatMap((p) => (p.claims === undefined ? [] : [p.claims]));
  if (ids.length === 0) return batch;
  const claimed = new Set<string>();
  for (let i = 0; i < ids.length; i += HEADS_PER_SELECT) {
    const part = ids.slice(i, i + HEADS_PER_SELECT);
    const rows = await sql.all<{ request_id: string }>(`DELETE FROM audit_intents WHERE request_id IN (${part.map(() => '?').join(', ')}) RETURNING request_id`, part);
    for (const r of rows) claimed.add(r.request_id);
  }
  return batch.filter((p) => p.claims === undefined || claimed.has(p.claims));
}

/** An intent older than this is recovered even if a process with its writer's pid runs (pids are reused). */
const INTENT_MAX_AGE_MS = 60_000;

/** Whether a process with this pid runs (signal 0 checks without sending; EPERM: it runs as someone else). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function trailUnusable(account: string, cause: unknown): KmsError {
  const why = cause instanceof KmsError ? ` (${cause.message})` : '';
  const e = new KmsError(
    'KMSInternalException',
    `The audit trail of account ${account} cannot be signed${why}, so no call can run until it is repaired: run \`strongroom audit verify\` and see the Strongroom log.`,
  );
  e.cause = cause;
  return e;
}

function auditWriteFailed(cause: unknown): KmsError {
  // the vault locked by another program: that, named, is what the caller can act on
  if (cause instanceof KmsError && cause.name === 'DependencyTimeoutException') return cause;
  const e = new KmsError('KMSInternalException', 'The audit record of this call could not be written, so the call cannot complete; see the Strongroom log for details.');
  e.cause = cause;
  return e;
}

function toMs(t: Date | number | string, what: string): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw validation(`${what} is not a valid time: use ISO-8601 (2026-11-28T12:00:00Z) or epoch milliseconds.`);
  return ms;
}

const encodeToken = (account: string, seq: number) => Buffer.from(`audit/1:${account}:${seq}`).toString('base64url');
function decodeToken(account: string, token: string): number {
  const m = /^audit\/1:(\d{12}):(\d{1,16})$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m || m[1] !== account) throw validation('The NextToken is not valid: pass the NextToken of the previous response unchanged.');
  return Number(m[2]);
}

export class AuditLog {
  readonly #db: Database;
  readonly #signer: AuditSigner;
  readonly #every: number;
  readonly #maxBatch: number;
  readonly #clock: () => number;
  readonly #log: (message: string, error?: unknown) => void;
  readonly #anchor: AnchorStore | undefined;
  readonly #rowMac: RowMac | undefined;
  #maxVariables: number | undefined;
  #pending: Pending[] = [];
  #draining: Promise<void> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** the last seq and hash this instance committed per account: the guess the one-statement commit checks */
  readonly #heads = new Map<string, ChainHead>();
  /** per account, the maintenance (digests, lookup index) queued or running, one at a time */
  readonly #work = new Map<string, Promise<unknown>>();
  /** accounts appended to by this instance, which get a digest over their tail on close */
  readonly #touched = new Set<string>();
  /** the connection for maintenance (see #maintenanceDb) */
  #side: Promise<Database> | undefined;
  /** accounts whose signing key has opened in this process (see ready) */
  readonly #ready = new Set<string>();
  /** accounts whose last digest could not be written, with the error: their calls fail until one is */
  readonly #broken = new Map<string, unknown>();

  constructor(db: Database, signer: AuditSigner, opts: AuditLogOptions = {}) {
    this.#db = db;
    this.#signer = signer;
    this.#every = opts.digestEvery ?? DEFAULT_DIGEST_EVERY;
    if (!Number.isSafeInteger(this.#every) || this.#every < 1) throw new RangeError(`expected digestEvery to be a positive integer, got ${opts.digestEvery}`);
    this.#maxBatch = opts.maxBatch ?? 4096;
    this.#clock = opts.clock ?? Date.now;
    this.#log = opts.log ?? (() => {});
    this.#anchor = opts.anchor;
    this.#rowMac = opts.rowMac;
  }

  /**
   * Appends one record to the account's chain; resolves once it is
   * committed, rejects if it could not be. With `claims`, the record
   * replaces that intent in the same transaction (see #claim).
   */
  append(account: string, event: AuditEvent, claims?: string): Promise<void> {
    if (this.#closed) return Promise.reject(auditWriteFailed(new Error('the audit log is closed')));
    let eventJson: string;
    let cols: Columns;
    try {
      if (!ACCOUNT.test(account)) throw new TypeError(`expected a 12-digit account id, got ${JSON.stringify(account)}`);
      eventJson = canonicalJson(event);
      cols = columnsOf(event);
    } catch (e) {
      return Promise.reject(auditWriteFailed(e));
    }
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ account, claims, eventJson, ...cols, resolve, reject });
      this.#kick(true);
    });
  }

  /**
   * Resolves when the account's trail can be kept: its signing key opens,
   * and its last digest was written. Rejects otherwise, trying the digest
   * once more first; the service runs no call until this resolves.
   */
  async ready(account: string): Promise<void> {
    if (this.#ready.has(account) && !this.#broken.has(account)) return;
    if (this.#closed) throw auditWriteFailed(new Error('the audit log is closed'));
    let tail = 0;
    try {
      await this.#signer.publicKeyPem(account); // opens (or first creates) the sealed signing key
      tail = (await this.#checkAnchor(account)).unsigned;
    } catch (e) {
      throw trailUnusable(account, e);
    }
    // A tail left long by processes that died before signing it is signed before this process adds to it.
    if (this.#broken.has(account) || tail >= this.#every) {
      const failure = await this.#maintain(account, 'tail');
      if (failure !== undefined) throw trailUnusable(account, failure);
    }
    this.#ready.add(account);
  }

  /**
   * After a crash: appends the record of every intent whose writer is gone
   * (ports.ts AuditIntent), marked as recovered, then signs the tails they
   * extend. An intent whose writer is alive is left to it, unless it is
   * older than any call takes (its pid may belong to another process now):
   * whichever of the two claims it first appends the record (see claim).
   */
  async recover(): Promise<void> {
    const rows = await this.#db.all<{ request_id: string; account: string; owner_pid: number; created_at: number; event_json: string; mac: Buffer | null }>(
      'SELECT request_id, account, owner_pid, created_at, event_json, mac FROM audit_intents ORDER BY rowid',
    );
    const now = Date.now();
    const orphans = rows.filter((r) => !processAlive(r.owner_pid) || now - r.created_at > INTENT_MAX_AGE_MS);
    if (orphans.length === 0) return;
    // Only what the vault itself wrote becomes a signed record: a forged intent is refused, named.
    if (this.#rowMac) {
      for (const r of orphans) RowMac.check(this.#rowMac.intent(r.request_id, r.account, r.event_json), r.mac, `The audit intent ${r.request_id} of account ${r.account}`);
    }
    const recoveredAt = new Date(this.#clock()).toISOString();
    await Promise.all(
      orphans.map((r) => {
        const event = JSON.parse(r.event_json) as AuditEvent;
        event.additionalEventData = {
          ...event.additionalEventData,
          recovered: { at: recoveredAt, reason: 'the process that made this change ended before writing its record; the change was committed' },
        };
        return this.append(r.account, event, r.request_id);
      }),
    );
    await this.checkpoint();
  }

  /** Resolves when every append made so far is committed (or rejected) and due digests are written. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.#draining) await this.#draining;
      else if (this.#pending.length) this.#kick(true);
      else if (this.#work.size) await Promise.all(this.#work.values());
      else return;
    }
  }

  /**
   * Stops accepting appends, waits for those in flight, and writes a final
   * digest over the tail of every chain this instance appended to. Rejects
   * if a final digest could not be written. Does not close the database
   * (only the connection it opened for maintenance).
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      try {
        await this.checkpoint();
      } finally {
        this.#touched.clear();
        const side = this.#side;
        this.#side = undefined;
        await side?.then((db) => db.close()).catch(() => undefined);
      }
    })();
    return this.#closing;
  }

  /**
   * The connection maintenance (digests, the lookup index) runs on: a second
   * one to the same file, opened on first need. On the appends' connection,
   * each maintenance statement would hold the next group commit in the
   * queue until the event loop came back to it, which, while a batch of
   * calls is running, is the length of their work. On its own connection it
   * only competes for SQLite's write lock, and only for its two short
   * writes, each a single trip to the threadpool.
   */
  #maintenanceDb(): Promise<Database> {
    if (!this.#side) {
      const side = this.#db.sibling();
      side.catch(() => {
        if (this.#side === side) this.#side = undefined; // the next maintenance tries again
      });
      this.#side = side;
    }
    return this.#side;
  }

  /**
   * Writes a digest over the tail of every chain this instance appended to,
   * without closing (for the desktop app when the session locks or idles).
   */
  async checkpoint(): Promise<void> {
    await this.flush();
    const failures: unknown[] = [];
    for (const account of this.#touched) {
      const e = await this.#maintain(account, 'tail');
      if (e) failures.push(e);
    }
    if (failures.length) {
      const err = new KmsError('KMSInternalException', `The audit digest of ${failures.length} account(s) could not be written; see the Strongroom log.`);
      err.cause = failures[0];
      throw err;
    }
  }

  publicKeyPem(account: string): Promise<string> {
    return this.#signer.publicKeyPem(account);
  }

  /**
   * Records of an account, newest first, like CloudTrail LookupEvents.
   * Filters combine with AND and are applied exactly; the block index only
   * decides which records need reading.
   */
  async lookup(account: string, filters: LookupFilters = {}): Promise<LookupResult> {
    const limit = filters.limit ?? 50;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw validation('limit must be an integer from 1 to 1000.');
    const start = filters.startTime === undefined ? undefined : toMs(filters.startTime, 'startTime');
    const end = filters.endTime === undefined ? undefined : toMs(filters.endTime, 'endTime');
    const before = filters.nextToken === undefined ? Number.MAX_SAFE_INTEGER : decodeToken(account, filters.nextToken);

    // exact filters on the records, and the block index entries that can satisfy them
    const where: string[] = [];
    const params: SqlValue[] = [];
    const attributes: { attribute: string; op: '=' | 'GLOB'; value: string }[] = [];
    if (filters.eventName !== undefined) {
      where.push('e.event_name = ?');
      params.push(filters.eventName);
      attributes.push({ attribute: 'EventName', op: '=', value: filters.eventName });
    }
    if (filters.userName !== undefined) {
      where.push('e.user_name = ?');
      params.push(filters.userName);
      attributes.push({ attribute: 'Username', op: '=', value: filters.userName });
    }
    if (filters.keyArn !== undefined) {
      let pattern: string;
      if (filters.keyArn.startsWith('arn:')) pattern = globLiteral(filters.keyArn);
      else if (/^[0-9A-Za-z-]{1,128}$/.test(filters.keyArn)) pattern = `*:key/${filters.keyArn}`;
      else return { events: [] };
      where.push(`(e.key_arn GLOB ? OR (e.other_key_arns IS NOT NULL AND EXISTS (SELECT 1 FROM ${OTHER_ARNS('j')} WHERE j.value GLOB ?)))`);
      params.push(pattern, pattern);
      attributes.push({ attribute: 'ResourceName', op: 'GLOB', value: pattern });
    }
    if (start !== undefined) {
      where.push('e.event_time >= ?');
      params.push(start);
    }
    if (end !== undefined) {
      where.push('e.event_time <= ?');
      params.push(end);
    }

    // which seq ranges to read, newest first
    let ranges: [number, number][] = [[1, before - 1]];
    if (where.length > 0) {
      const blocks = await this.#db.all<{ from_seq: number; to_seq: number; min_time: number; max_time: number }>(
        'SELECT from_seq, to_seq, min_time, max_time FROM audit_blocks WHERE account = ? ORDER BY from_seq',
        [account],
      );
      const indexedTo = blocks.reduce((m, b) => Math.max(m, b.to_seq), 0);
      let candidates = blocks.filter((b) => (start === undefined || b.max_time >= start) && (end === undefined || b.min_time <= end));
      for (const a of attributes) {
        if (candidates.length === 0) break;
        const hits = await this.#db.all<{ from_seq: number }>(`SELECT from_seq FROM audit_lookup WHERE account = ? AND attribute = ? AND value ${a.op} ?`, [account, a.attribute, a.value]);
        const set = new Set(hits.map((h) => h.from_seq));
        candidates = candidates.filter((b) => set.has(b.from_seq));
      }
      ranges = [];
      for (const b of candidates) {
        const last = ranges[ranges.length - 1];
        if (last && last[1] + 1 === b.from_seq) last[1] = b.to_seq;
        else ranges.push([b.from_seq, b.to_seq]);
      }
      ranges.push([indexedTo + 1, Number.MAX_SAFE_INTEGER]); // records not yet in a block
      ranges = ranges.map(([lo, hi]): [number, number] => [lo, Math.min(hi, before - 1)]).filter(([lo, hi]) => lo <= hi);
      ranges.reverse();
    }

    const rows: { seq: number; event_json: string }[] = [];
    for (const [lo, hi] of ranges) {
      const got = await this.#db.all<{ seq: number; event_json: string }>(
        `SELECT e.seq AS seq, e.event_json AS event_json FROM audit_events e WHERE e.account = ? AND e.seq >= ? AND e.seq <= ?${where.map((w) => ` AND ${w}`).join('')} ORDER BY e.seq DESC LIMIT ?`,
        [account, lo, hi, ...params, limit + 1 - rows.length],
      );
      rows.push(...got);
      if (rows.length > limit) break;
    }
    const events = rows.slice(0, limit).map((r) => ({ seq: r.seq, event: JSON.parse(r.event_json) as AuditEvent }));
    return rows.length > limit ? { events, nextToken: encodeToken(account, rows[limit - 1]!.seq) } : { events };
  }

  /**
   * Writes the account's whole trail as an export (core/audit/export.ts),
   * chunk by chunk, to `write`. Appends made before the call are included.
   */
  async exportTo(account: string, write: (chunk: string) => void | Promise<void>): Promise<{ records: number; digests: number }> {
    await this.flush();
    const publicKeyPem = await this.#signer.publicKeyPem(account);
    const last = (await this.#db.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM audit_events WHERE account = ?', [account]))?.seq ?? 0;
    const digests = await this.#storedDigests(account, last);
    // An export is signed over all it holds: a trail cut back must not come out of it vouched for.
    const cutBack = anchorProblem(account, await this.#anchor?.read(account), digests.map((d) => d.digest).filter(isAuditDigest), last);
    if (cutBack) throw new KmsError('KMSInvalidStateException', `${cutBack}. No export was made; run \`strongroom audit verify\`.`);
    const w = new ExportWriter(account, this.#clock());
    await write(w.header(publicKeyPem));
    let records = 0;
    let d = 0;
    for (let after = 0; ; ) {
      const rows = await this.#db.all<{ seq: number; prev_hash: string; hash: string; event_json: string }>(
        'SELECT seq, prev_hash, hash, event_json FROM audit_events WHERE account = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
        [account, after, last, READ_CHUNK],
      );
      if (rows.length === 0) break;
      let out = '';
      for (const r of rows) {
        out += w.record({ seq: r.seq, prevHash: r.prev_hash, hash: r.hash, eventJson: r.event_json });
        records++;
        while (d < digests.length && digests[d]!.digest.toSeq <= r.seq) out += w.digest(digests[d++]!);
      }
      await write(out);
      after = rows[rows.length - 1]!.seq;
    }
    let tail = '';
    while (d < digests.length) tail += w.digest(digests[d++]!);
    await write(tail + (await w.finish(this.#signer)));
    return { records, digests: digests.length };
  }

  async exportText(account: string): Promise<string> {
    const parts: string[] = [];
    await this.exportTo(account, (c) => void parts.push(c));
    return parts.join('');
  }

  /**
   * Verifies the account's stored trail: the chain, the digests (with the
   * signer's public key, or the one given), that the lookup columns agree
   * with each event, and that the lookup index agrees with the records.
   */
  async verifyStored(account: string, opts: { publicKeyPem?: string | KeyObject } = {}): Promise<VerifyResult> {
    await this.flush();
    const publicKey = opts.publicKeyPem ?? (await this.#signer.publicKeyPem(account));
    // The digests first, then the records up to the head as it is now (another process may be appending):
    // every digest read covers records committed before it, so a digest past the head means records were cut off.
    const digests = await this.#storedDigests(account, Number.MAX_SAFE_INTEGER);
    const head = (await this.#db.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM audit_events WHERE account = ?', [account]))?.seq ?? 0;
    const records: StoredRecord[] = [];
    const extra: Problem[] = [];
    for (let after = 0; ; ) {
      const rows = await this.#db.all<{
        seq: number;
        prev_hash: string;
        hash: string;
        event_time: number;
        event_name: string;
        user_name: string | null;
        key_arn: string | null;
        other_key_arns: string | null;
        event_json: string;
      }>(
        'SELECT seq, prev_hash, hash, event_time, event_name, user_name, key_arn, other_key_arns, event_json FROM audit_events WHERE account = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
        [account, after, head, READ_CHUNK],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        records.push({ seq: r.seq, prevHash: r.prev_hash, hash: r.hash, eventJson: r.event_json });
        let cols: Columns | undefined;
        try {
          cols = columnsOf(JSON.parse(r.event_json) as AuditEvent);
        } catch {
          cols = undefined; // an unreadable event fails its hash: reported by the chain check
        }
        if (
          cols &&
          (cols.time !== r.event_time ||
            wellFormed(cols.name) !== r.event_name ||
            wellFormed(cols.user) !== r.user_name ||
            wellFormed(cols.keyArn) !== r.key_arn ||
            wellFormed(cols.otherKeyArns) !== r.other_key_arns)
        ) {
          extra.push({ seq: r.seq, kind: 'edited', message: `record ${r.seq} was edited (its lookup columns no longer match its event)` });
        }
      }
      after = rows[rows.length - 1]!.seq;
    }
    extra.push(...(await this.#checkIndex(account, head)));
    const result = verifyChain({ account, publicKey, records, digests, maxUnsigned: 2 * this.#every });
    const cutBack = anchorProblem(account, await this.#anchor?.read(account), digests.map((d) => d.digest).filter(isAuditDigest), head);
    if (cutBack) extra.push({ seq: null, kind: 'truncated', message: cutBack });
    const problems = [...result.problems, ...extra];
    return { ...result, ok: problems.length === 0, problems };
  }

  // ------------------------------------------------------------ group commit

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
        for (const [account, { before, after }] of spans) {
          this.#touched.add(account);
          const due = digestBoundaries(before, after, this.#every);
          if (due.length > 0) void this.#maintain(account, due[due.length - 1]!);
        }
      } else {
        this.#log('audit append failed', failure);
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
    let take = Math.min(this.#pending.length, this.#maxBatch);
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
   * connection checkpoints instead, after each maintenance (every
   * digestEvery records: a few hundred pages), off the appends' path; this
   * connection still does it past WAL_LAST_RESORT pages (if maintenance
   * stopped, or cannot catch up with a WAL that is never quiet).
   */
  async #setUp(): Promise<number> {
    return this.#db.exclusive(async (sql) => {
      await sql.exec(`PRAGMA wal_autocheckpoint = ${WAL_LAST_RESORT}`);
      return maxVariables((await sql.get<{ v: string }>('SELECT sqlite_version() AS v'))?.v ?? '0');
    });
  }

  async #commit(batch: readonly Pending[]): Promise<Map<string, Span>> {
    const accounts = [...new Set(batch.map((p) => p.account))];
    this.#maxVariables ??= await this.#setUp();
    // A batch that claims intents takes the transaction below: the claims and the records commit together.
    if (accounts.every((a) => this.#heads.has(a)) && !batch.some((p) => p.claims !== undefined)) {
      const heads = new Map(accounts.map((a) => [a, this.#heads.get(a)!]));
      const spans = new Map<string, Span>();
      // one account (the usual case): a kept statement; several: one made for the batch
      const kept = accounts.length === 1 ? planKept(batch, accounts[0]!, heads, spans, this.#maxVariables) : undefined;
      const plan = kept ? { ...kept, rows: batch.length } : planInsert(batch, 0, heads, spans, this.#maxVariables, true);
      if (plan.rows === batch.length) {
        try {
          const { changes } = await this.#db.exclusive((sql) => sql.run(plan.sql, plan.params, { keep: kept !== undefined }));
          if (changes === batch.length) {
            for (const [a, h] of heads) this.#heads.set(a, h);
            return spans;
          }
        } catch (e) {
          this.#log('audit append: the one-statement commit failed; retrying in a transaction', e);
        }
      }
    }
    // Another writer moved a head, or this instance has not seen the account yet, or the batch is too big for one statement.
    for (const a of accounts) this.#heads.delete(a);
    const maxParams = this.#maxVariables;
    const { heads, spans } = await this.#db.transaction(async (sql) => {
      const rows = await claim(sql, batch);
      const heads = await readHeads(sql, accounts);
      const spans = new Map<string, Span>();
      for (let i = 0; i < rows.length; ) {
        const plan = planInsert(rows, i, heads, spans, maxParams, false);
        await sql.run(plan.sql, plan.params);
        i += plan.rows;
      }
      return { heads, spans };
    });
    for (const a of accounts) this.#heads.set(a, heads.get(a) ?? EMPTY_HEAD);
    return spans;
  }

  // ------------------------------------------------------------ maintenance: digests and the lookup index

  /**
   * Queues maintenance for an account behind any already queued: the digests
   * due (and, for 'tail', one over the tail), then the block index up to
   * record `upTo` (a digest boundary; for 'tail', the last record), so
   * blocks end where digests do whatever else is appended meanwhile.
   * Resolves to the error if the digests failed.
   *
   * It runs on a connection of its own (#maintenanceDb) and holds SQLite's
   * write lock only while SQLite works, never across a trip through the
   * event loop, so the group commits it competes with wait little: the
   * digests are one guarded INSERT (a statement is its own transaction), and
   * the index's two INSERTs run as one script (see #index).
   */
  #maintain(account: string, upTo: number | 'tail'): Promise<unknown> {
    const final = upTo === 'tail';
    return this.#queue(account, async () => {
      let failure: unknown;
      for (let round = 0; ; round++) {
        let signed: SignedDigest[] = [];
        let follows = 0;
        let head: number | undefined;
        failure = undefined;
        try {
          await this.#checkAnchor(account); // never sign on top of a trail that was cut back
          const state = await this.#digestState(account);
          head = state.head;
          ({ signed, follows } = await this.#dueDigests(account, state, final));
        } catch (e) {
          failure = e; // the index is still brought up to date
        }
        let written = true;
        if (signed.length > 0) {
          const values = signed.flatMap((d) => [account, d.digest.toSeq, canonicalJson(d.digest), Buffer.from(d.signature, 'base64')]);
          const db = await this.#maintenanceDb();
          written = (await db.exclusive((sql) => sql.run(guardedDigestSql(signed.length), [...values, account, follows]))).changes === signed.length;
          // after the digest is stored, so whoever reads the anchor finds its digest
          if (written) {
            try {
              await this.#anchor?.advance(account, anchorOf(signed[signed.length - 1]!.digest));
            } catch (e) {
              failure = e;
            }
          }
        }
        // Group commits go on between these statements: the index is brought up to the boundary,
        // or the head seen above (records appended since are in the next maintenance's block).
        const indexed = await this.#index(account, final ? head : upTo);
        if (written && indexed) break;
        // Another writer wrote a digest first (start again from it), or the index has more blocks to write.
        if (round >= 100) {
          failure ??= new Error(`gave up maintaining the audit trail of account ${account}: it kept moving`);
          break;
        }
      }
      // the WAL's pages into the database file, off the appends' path (see #setUp)
      try {
        await (await this.#maintenanceDb()).exclusive((sql) => sql.exec('PRAGMA wal_checkpoint(PASSIVE)'));
      } catch (e) {
        this.#log('audit maintenance: a WAL checkpoint failed', e);
      }
      if (failure !== undefined) {
        this.#broken.set(account, failure); // the account's calls fail until a digest is written (ready)
        this.#log(`writing an audit digest for account ${account} failed`, failure);
        throw failure;
      }
      this.#broken.delete(account);
    });
  }

  /**
   * Writes the account's next block of the lookup index: its values, then
   * the block, in one transaction that is a single script (sqlite3_exec), so
   * the write lock is held only while SQLite runs it, not while this event
   * loop is busy elsewhere. A script binds nothing: the account (12 digits,
   * checked), the block size and where it ends are written into it. Says
   * whether the index now reaches record `upTo` (without one, there is
   * nothing to reach: one block is enough).
   */
  async #index(account: string, upTo: number | undefined): Promise<boolean> {
    if (!ACCOUNT.test(account)) throw new TypeError(`expected a 12-digit account id, got ${JSON.stringify(account)}`);
    const end = upTo ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(end)) throw new RangeError(`expected a record number, got ${end}`);
    const literal = (q: string) => q.replaceAll('?1', `'${account}'`).replaceAll('?2', String(READ_CHUNK)).replaceAll('?3', String(end));
    const script = `BEGIN IMMEDIATE;\n${literal(INDEX_VALUES_SQL)};\n${literal(INDEX_BLOCK_SQL)};\nCOMMIT`;
    const db = await this.#maintenanceDb();
    await db.exclusive(async (sql) => {
      try {
        await sql.exec(script);
      } catch (e) {
        await sql.exec('ROLLBACK').catch(() => undefined); // the script stops at its first error, inside its transaction
        throw e;
      }
    });
    if (upTo === undefined) return true;
    return ((await db.get<{ to: number | null }>('SELECT max(to_seq) AS "to" FROM audit_blocks WHERE account = ?', [account]))?.to ?? 0) >= upTo;
  }

  /**
   * Throws when the account's stored trail no longer holds the digest its
   * anchor names (it was cut back, or the digest replaced); otherwise says
   * how many records follow the last stored digest.
   */
  async #checkAnchor(account: string): Promise<{ unsigned: number }> {
    const anchor = await this.#anchor?.read(account);
    const row = await this.#db.get<{ head: number | null; signed: number | null; anchored: string | null }>(
      `SELECT (SELECT max(seq) FROM audit_events WHERE account = ?1) AS head, (SELECT max(to_seq) FROM audit_digests WHERE account = ?1) AS signed,
              (SELECT digest_json FROM audit_digests WHERE account = ?1 AND to_seq = ?2) AS anchored`,
      [account, anchor?.toSeq ?? 0],
    );
    const head = row?.head ?? 0;
    let anchored: unknown;
    try {
      anchored = row?.anchored ? JSON.parse(row.anchored) : undefined;
    } catch {
      anchored = undefined; // unreadable: as good as gone
    }
    const problem = anchorProblem(account, anchor, isAuditDigest(anchored) ? [anchored] : [], head);
    if (problem) throw new KmsError('KMSInternalException', problem);
    return { unsigned: head - (row?.signed ?? 0) };
  }

  /** The account's last digest (its JSON) and the hashes of the records after it that a digest may cover: multiples of digestEvery, and the last one (its seq: head). */
  async #digestState(account: string): Promise<DigestState> {
    const rows = await (await this.#maintenanceDb()).all<{ seq: number | null; v: string }>(DIGEST_STATE_SQL, [account, this.#every]);
    const lastJson = rows.find((r) => r.seq === null)?.v;
    const hashes = new Map(rows.filter((r) => r.seq !== null).map((r) => [r.seq!, r.v]));
    return { lastJson, hashes, head: hashes.size > 0 ? Math.max(...hashes.keys()) : undefined };
  }

  /** Signs the digests due on the account's chain (and, if final, one over its tail), and says which digest they follow. */
  async #dueDigests(account: string, state: DigestState, final: boolean): Promise<{ signed: SignedDigest[]; follows: number }> {
    const last = state.lastJson === undefined ? undefined : parseDigest(state.lastJson, account);
    const from = last?.toSeq ?? 0;
    const head = Math.max(from, state.head ?? 0);
    const targets = digestBoundaries(from, head, this.#every);
    if (final && head > (targets.at(-1) ?? from)) targets.push(head);
    const signed: SignedDigest[] = [];
    let prev = last;
    for (const t of targets) {
      const hash = state.hashes.get(t);
      if (hash === undefined) throw new Error(`audit record ${t} of account ${account} is missing; not signing a digest over it`);
      const d = makeDigest(account, prev, t, hash, this.#clock());
      signed.push(await signDigest(this.#signer, account, d));
      prev = d;
    }
    return { signed, follows: from };
  }

  #queue(account: string, job: () => Promise<void>): Promise<unknown> {
    const previous = this.#work.get(account) ?? Promise.resolve();
    const work = previous.then(job).then(
      () => undefined,
      (e: unknown) => e,
    );
    this.#work.set(account, work);
    void work.then(() => {
      if (this.#work.get(account) === work) this.#work.delete(account);
    });
    return work;
  }

  /** Checks the block index against records 1..head: blocks tile them, and hold every value and time of their records. */
  async #checkIndex(account: string, head: number): Promise<Problem[]> {
    const blocks = await this.#db.all<{ from_seq: number; to_seq: number }>('SELECT from_seq, to_seq FROM audit_blocks WHERE account = ? AND to_seq <= ? ORDER BY from_seq', [
      account,
      head,
    ]);
    const problems: Problem[] = [];
    let next = 1;
    for (const b of blocks) {
      if (b.from_seq !== next) problems.push({ seq: Math.min(b.from_seq, next), kind: 'edited', message: `the lookup index was changed: its blocks do not cover records ${next}..${b.from_seq - 1} exactly` });
      next = b.to_seq + 1;
    }
    const c = await this.#db.get<{ missing: string | null; bad_times: string | null; extra: number }>(INDEX_CHECK_SQL, [account, head]);
    const span = (from: number) => `${from}..${blocks.find((b) => b.from_seq === from)?.to_seq ?? '?'}`;
    if (c?.missing) {
      const first = Number(c.missing.split(',')[0]);
      problems.push({ seq: first, kind: 'edited', message: `the lookup index was changed: some of records ${span(first)} are no longer found by their attributes` });
    }
    if (c?.bad_times) {
      const first = Number(c.bad_times.split(',')[0]);
      problems.push({ seq: first, kind: 'edited', message: `the lookup index was changed: the time range of records ${span(first)} is wrong` });
    }
    if (c && c.extra > 0) problems.push({ seq: null, kind: 'inserted', message: `the lookup index holds ${c.extra} entries that no record accounts for` });
    return problems;
  }

  async #storedDigests(account: string, upTo: number): Promise<SignedDigest[]> {
    const rows = await this.#db.all<{ digest_json: string; signature: Buffer }>(
      'SELECT digest_json, signature FROM audit_digests WHERE account = ? AND to_seq <= ? ORDER BY to_seq',
      [account, upTo],
    );
    return rows.map((r) => {
      let digest: AuditDigest;
      try {
        digest = JSON.parse(r.digest_json) as AuditDigest;
      } catch {
        digest = { unreadable: r.digest_json } as unknown as AuditDigest; // reported as a malformed digest
      }
      return { digest, signature: Buffer.from(r.signature).toString('base64') };
    });
  }
}

function parseDigest(json: string, account: string): AuditDigest {
  const d = JSON.parse(json) as unknown;
  if (!isAuditDigest(d) || d.account !== account) throw new Error(`the last stored audit digest of account ${account} is malformed; run audit verify`);
  return d;
}

/** The audit_keys table: each tenant's audit key pair, the private half sealed under the tenant key. */
export class AuditKeyStore {
  readonly #db: Database;
  readonly #clock: () => number;

  constructor(db: Database, clock: () => number = Date.now) {
    this.#db = db;
    this.#clock = clock;
  }

  async load(account: string): Promise<AuditKeyRecord | undefined> {
    const r = await this.#db.get<{ sealed_private_key: Buffer; public_key_pem: string }>('SELECT sealed_private_key, public_key_pem FROM audit_keys WHERE account = ?', [account]);
    return r && { account, sealedPrivateKey: r.sealed_private_key, publicKeyPem: r.public_key_pem };
  }

  /** Stores the record unless the account has a key already (another process may have just made one); returns the stored record. */
  async insertIfAbsent(record: AuditKeyRecord): Promise<AuditKeyRecord> {
    await this.#db.transaction((sql) =>
      sql.run('INSERT OR IGNORE INTO audit_keys (account, sealed_private_key, public_key_pem, created_at) VALUES (?, ?, ?, ?)', [
        record.account,
        record.sealedPrivateKey,
        record.publicKeyPem,
        this.#clock(),
      ]),
    );
    const stored = await this.load(record.account);
    if (!stored) throw new Error(`the audit key of account ${record.account} could not be stored`);
    return stored;
  }

  /** Inside a transaction the caller runs (e.g. the one creating a tenant). */
  static async insertWith(sql: Sql, record: AuditKeyRecord, createdAt: number): Promise<void> {
    await sql.run('INSERT INTO audit_keys (account, sealed_private_key, public_key_pem, created_at) VALUES (?, ?, ?, ?)', [
      record.account,
      record.sealedPrivateKey,
      record.publicKeyPem,
      createdAt,
    ]);
  }
}

/** The AuditKeySource a TenantAuditSigner needs, over audit_keys and the vault's tenant keys. */
export function auditKeySource(db: Database, tenantKey: (account: string) => Promise<KeyObject>, clock?: () => number): AuditKeySource {
  const store = new AuditKeyStore(db, clock);
  return { tenantKey, load: (a) => store.load(a), insertIfAbsent: (r) => store.insertIfAbsent(r) };
}

