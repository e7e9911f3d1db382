// The audit trail in SQLite (migration 0002; record format in core/audit).
//
// Durability with group commit. append() resolves only once its record is
// committed (the connection runs synchronous=FULL, so committed = on disk).
// Appends that arrive while a commit is in flight wait and go together into
// the next single transaction: BEGIN IMMEDIATE, read the head (last seq and
// hash) of every account in the batch — inside the transaction, because
// another process may be appending to the same chains — then multi-row
// INSERTs, then COMMIT. A statement round trip through the sqlite3 addon
// costs ~100 µs and a commit an fsync, so a batch of 64 costs about what a
// single append would. If the transaction fails, every append in it
// rejects, and the caller must fail the call whose record it was.
//
// Digests. When a commit carries an account's chain past a multiple of
// digestEvery, the digests for those boundaries are signed and written
// after the commit, outside it (the signer may read the vault); close()
// writes one more over each chain's tail. Two writers racing to write the
// same digest is settled inside the write transaction: the loser sees that
// the last digest moved and starts over from the new one.
import { KmsError, validation } from '../core/errors.js';
import { canonicalJson, EMPTY_HEAD, recordHashOf, type ChainHead, type StoredRecord } from '../core/audit/chain.js';
import { digestBoundaries, DEFAULT_DIGEST_EVERY, isAuditDigest, makeDigest, signDigest, type AuditDigest, type AuditSigner, type SignedDigest } from '../core/audit/digest.js';
import { primaryKeyArn, type AuditEvent } from '../core/audit/event.js';
import { ExportWriter } from '../core/audit/export.js';
import type { AuditKeyRecord, AuditKeySource } from '../core/audit/signing-key.js';
import { verifyChain, type Problem, type VerifyResult } from '../core/audit/verify.js';
import type { KeyObject } from 'node:crypto';
import type { Database, Sql, SqlValue } from './sqlite.js';

const ACCOUNT = /^\d{12}$/;
/** columns per audit_events row; rows per INSERT keeps a statement under SQLite's historic 999-variable limit */
const COLUMNS = 9;
const ROWS_PER_INSERT = Math.floor(999 / COLUMNS);
/** accounts per head-reading statement */
const HEADS_PER_SELECT = 200;
/** records read per statement when exporting or verifying */
const READ_CHUNK = 5000;

export interface AuditLogOptions {
  /** a digest every this many records of an account (default 1000) */
  digestEvery?: number;
  /** the most appends one transaction carries (default 4096) */
  maxBatch?: number;
  /** epoch ms for digest and export times */
  clock?: () => number;
  /** where failures that no caller is waiting for go (digest writes) */
  log?: (message: string, error?: unknown) => void;
}

export interface LookupFilters {
  startTime?: Date | number | string;
  endTime?: Date | number | string;
  eventName?: string;
  userName?: string;
  /** a key ARN, or a bare key id */
  keyArn?: string;
  /** 1..1000, default 50 */
  limit?: number;
  nextToken?: string;
}

export interface LookupResult {
  /** newest first */
  events: { seq: number; event: AuditEvent }[];
  nextToken?: string;
}

interface Pending {
  account: string;
  eventJson: string;
  time: number;
  name: string;
  user: string | null;
  keyArn: string | null;
  resolve: () => void;
  reject: (e: unknown) => void;
}

type Span = { before: number; after: number };

/** SQLite stores text as UTF-8, turning lone surrogates into U+FFFD; the copy we compare with must too. */
const wellFormed = (s: string | null): string | null => (s === null ? null : Buffer.from(s, 'utf8').toString('utf8'));

function columnsOf(event: AuditEvent): { time: number; name: string; user: string | null; keyArn: string | null } {
  const time = Date.parse(event.eventTime);
  if (!Number.isFinite(time)) throw new TypeError(`expected eventTime to be an ISO-8601 time, got ${JSON.stringify(event.eventTime)}`);
  if (typeof event.eventName !== 'string' || event.eventName === '') throw new TypeError('expected a non-empty eventName');
  return { time, name: event.eventName, user: event.userIdentity?.userName ?? null, keyArn: primaryKeyArn(event) };
}

const insertSqlCache = new Map<number, string>();
function insertSql(rows: number): string {
  let s = insertSqlCache.get(rows);
  if (!s) {
    s = `INSERT INTO audit_events (account, seq, prev_hash, hash, event_time, event_name, user_name, key_arn, event_json) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
    insertSqlCache.set(rows, s);
  }
  return s;
}

/** The last seq and hash of each account (absent: an empty chain), in one statement per HEADS_PER_SELECT accounts. */
async function readHeads(sql: Sql, accounts: readonly string[]): Promise<Map<string, ChainHead>> {
  const heads = new Map<string, ChainHead>();
  for (let i = 0; i < accounts.length; i += HEADS_PER_SELECT) {
    const part = accounts.slice(i, i + HEADS_PER_SELECT);
    // Each arm uses the primary key to find its account's last row directly.
    const q = part.map(() => 'SELECT * FROM (SELECT account, seq, hash FROM audit_events WHERE account = ? ORDER BY seq DESC LIMIT 1)').join(' UNION ALL ');
    for (const r of await sql.all<{ account: string; seq: number; hash: string }>(q, part)) heads.set(r.account, { seq: r.seq, hash: r.hash });
  }
  return heads;
}

function auditWriteFailed(cause: unknown): KmsError {
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
  #pending: Pending[] = [];
  #draining: Promise<void> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** per account, the digest work queued or running (one at a time per account) */
  readonly #digestWork = new Map<string, Promise<unknown>>();
  /** accounts appended to by this instance, which get a digest over their tail on close */
  readonly #touched = new Set<string>();

  constructor(db: Database, signer: AuditSigner, opts: AuditLogOptions = {}) {
    this.#db = db;
    this.#signer = signer;
    this.#every = opts.digestEvery ?? DEFAULT_DIGEST_EVERY;
    if (!Number.isSafeInteger(this.#every) || this.#every < 1) throw new RangeError(`expected digestEvery to be a positive integer, got ${opts.digestEvery}`);
    this.#maxBatch = opts.maxBatch ?? 4096;
    this.#clock = opts.clock ?? Date.now;
    this.#log = opts.log ?? (() => {});
  }

  /** Appends one record to the account's chain; resolves once it is committed, rejects if it could not be. */
  append(account: string, event: AuditEvent): Promise<void> {
    if (this.#closed) return Promise.reject(auditWriteFailed(new Error('the audit log is closed')));
    let p: Omit<Pending, 'resolve' | 'reject'>;
    try {
      if (!ACCOUNT.test(account)) throw new TypeError(`expected a 12-digit account id, got ${JSON.stringify(account)}`);
      p = { account, eventJson: canonicalJson(event), ...columnsOf(event) };
    } catch (e) {
      return Promise.reject(auditWriteFailed(e));
    }
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ ...p, resolve, reject });
      this.#kick();
    });
  }

  /** Resolves when every append made so far is committed (or rejected) and due digests are written. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.#draining) await this.#draining;
      else if (this.#pending.length) this.#kick();
      else if (this.#digestWork.size) await Promise.all(this.#digestWork.values());
      else return;
    }
  }

  /**
   * Stops accepting appends, waits for those in flight, and writes a final
   * digest over the tail of every chain this instance appended to. Rejects
   * if a final digest could not be written. Does not close the database.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      await this.flush();
      const failures: unknown[] = [];
      for (const account of this.#touched) {
        const e = await this.#digest(account, true);
        if (e) failures.push(e);
      }
      this.#touched.clear();
      if (failures.length) {
        const err = new KmsError('KMSInternalException', `The final audit digest of ${failures.length} account(s) could not be written; see the Strongroom log.`);
        err.cause = failures[0];
        throw err;
      }
    })();
    return this.#closing;
  }

  publicKeyPem(account: string): Promise<string> {
    return this.#signer.publicKeyPem(account);
  }

  /** Records of an account, newest first, like CloudTrail LookupEvents. */
  async lookup(account: string, filters: LookupFilters = {}): Promise<LookupResult> {
    const limit = filters.limit ?? 50;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw validation('limit must be an integer from 1 to 1000.');
    const where = ['account = ?'];
    const params: SqlValue[] = [account];
    if (filters.startTime !== undefined) {
      where.push('event_time >= ?');
      params.push(toMs(filters.startTime, 'startTime'));
    }
    if (filters.endTime !== undefined) {
      where.push('event_time <= ?');
      params.push(toMs(filters.endTime, 'endTime'));
    }
    if (filters.eventName !== undefined) {
      where.push('event_name = ?');
      params.push(filters.eventName);
    }
    if (filters.userName !== undefined) {
      where.push('user_name = ?');
      params.push(filters.userName);
    }
    if (filters.keyArn !== undefined) {
      if (filters.keyArn.startsWith('arn:')) {
        where.push('key_arn = ?');
        params.push(filters.keyArn);
      } else if (/^[0-9A-Za-z-]{1,128}$/.test(filters.keyArn)) {
        where.push('key_arn GLOB ?');
        params.push(`*:key/${filters.keyArn}`);
      } else return { events: [] };
    }
    if (filters.nextToken !== undefined) {
      where.push('seq < ?');
      params.push(decodeToken(account, filters.nextToken));
    }
    params.push(limit + 1);
    const rows = await this.#db.all<{ seq: number; event_json: string }>(
      `SELECT seq, event_json FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`,
      params,
    );
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
    const w = new ExportWriter(account, this.#clock());
    await write(w.header(publicKeyPem));
    let records = 0;
    let d = 0;
    for (let after = 0; ; ) {
      const rows = await this.#records(account, after, last);
      if (rows.length === 0) break;
      let out = '';
      for (const r of rows) {
        out += w.record(r);
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
   * signer's public key, or the one given), and that the lookup columns
   * agree with each event.
   */
  async verifyStored(account: string, opts: { publicKeyPem?: string | KeyObject } = {}): Promise<VerifyResult> {
    await this.flush();
    const publicKey = opts.publicKeyPem ?? (await this.#signer.publicKeyPem(account));
    const digests = await this.#storedDigests(account, Number.MAX_SAFE_INTEGER);
    const records: StoredRecord[] = [];
    const columnProblems: Problem[] = [];
    for (let after = 0; ; ) {
      const rows = await this.#db.all<{ seq: number; prev_hash: string; hash: string; event_time: number; event_name: string; user_name: string | null; key_arn: string | null; event_json: string }>(
        'SELECT seq, prev_hash, hash, event_time, event_name, user_name, key_arn, event_json FROM audit_events WHERE account = ? AND seq > ? ORDER BY seq LIMIT ?',
        [account, after, READ_CHUNK],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        records.push({ seq: r.seq, prevHash: r.prev_hash, hash: r.hash, eventJson: r.event_json });
        let cols: ReturnType<typeof columnsOf> | undefined;
        try {
          cols = columnsOf(JSON.parse(r.event_json) as AuditEvent);
        } catch {
          cols = undefined; // an unreadable event fails its hash: reported by the chain check
        }
        if (cols && (cols.time !== r.event_time || cols.name !== r.event_name || wellFormed(cols.user) !== r.user_name || wellFormed(cols.keyArn) !== r.key_arn)) {
          columnProblems.push({ seq: r.seq, kind: 'edited', message: `record ${r.seq} was edited (its lookup columns no longer match its event)` });
        }
      }
      after = rows[rows.length - 1]!.seq;
    }
    const result = verifyChain({ account, publicKey, records, digests });
    const problems = [...result.problems, ...columnProblems];
    return { ...result, ok: problems.length === 0, problems };
  }

  // ------------------------------------------------------------ group commit

  #kick(): void {
    if (this.#draining) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      if (this.#pending.length) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    // Let every append made in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending.length) {
      const batch = this.#pending.length <= this.#maxBatch ? this.#pending : this.#pending.slice(0, this.#maxBatch);
      this.#pending = batch === this.#pending ? [] : this.#pending.slice(this.#maxBatch);
      let spans: Map<string, Span>;
      try {
        spans = await this.#commit(batch);
      } catch (e) {
        this.#log('audit append failed', e);
        const err = auditWriteFailed(e);
        for (const p of batch) p.reject(err);
        continue;
      }
      for (const p of batch) p.resolve();
      for (const [account, { before, after }] of spans) {
        this.#touched.add(account);
        if (digestBoundaries(before, after, this.#every).length > 0) void this.#digest(account, false);
      }
    }
  }

  #commit(batch: readonly Pending[]): Promise<Map<string, Span>> {
    return this.#db.transaction(async (sql) => {
      const heads = await readHeads(sql, [...new Set(batch.map((p) => p.account))]);
      const spans = new Map<string, Span>();
      const values: SqlValue[] = new Array(batch.length * COLUMNS);
      let v = 0;
      for (const p of batch) {
        const head = heads.get(p.account) ?? EMPTY_HEAD;
        const seq = head.seq + 1;
        const hash = recordHashOf(seq, head.hash, p.eventJson);
        values[v++] = p.account;
        values[v++] = seq;
        values[v++] = head.hash;
        values[v++] = hash;
        values[v++] = p.time;
        values[v++] = p.name;
        values[v++] = p.user;
        values[v++] = p.keyArn;
        values[v++] = p.eventJson;
        heads.set(p.account, { seq, hash });
        const span = spans.get(p.account);
        if (span) span.after = seq;
        else spans.set(p.account, { before: head.seq, after: seq });
      }
      for (let i = 0; i < batch.length; i += ROWS_PER_INSERT) {
        const rows = Math.min(ROWS_PER_INSERT, batch.length - i);
        await sql.run(insertSql(rows), values.slice(i * COLUMNS, (i + rows) * COLUMNS));
      }
      return spans;
    });
  }

  // ------------------------------------------------------------ digests

  /** Queues digest work for an account behind any already queued; resolves to the error, if it failed. */
  #digest(account: string, final: boolean): Promise<unknown> {
    const previous = this.#digestWork.get(account) ?? Promise.resolve();
    const work = previous.then(() => this.#writeDigests(account, final)).then(
      () => undefined,
      (e: unknown) => {
        this.#log(`writing an audit digest for account ${account} failed`, e);
        return e;
      },
    );
    this.#digestWork.set(account, work);
    void work.then(() => {
      if (this.#digestWork.get(account) === work) this.#digestWork.delete(account);
    });
    return work;
  }

  /** Writes the digests due on the account's chain (and, if final, one over its tail). */
  async #writeDigests(account: string, final: boolean): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const { last, head } = await this.#db.exclusive(async (sql) => {
        const d = await sql.get<{ digest_json: string }>('SELECT digest_json FROM audit_digests WHERE account = ? ORDER BY to_seq DESC LIMIT 1', [account]);
        const h = await sql.get<{ seq: number }>('SELECT seq FROM audit_events WHERE account = ? ORDER BY seq DESC LIMIT 1', [account]);
        return { last: d ? parseDigest(d.digest_json, account) : undefined, head: h?.seq ?? 0 };
      });
      const from = last?.toSeq ?? 0;
      const targets = digestBoundaries(from, head, this.#every);
      if (final && head > (targets.at(-1) ?? from)) targets.push(head);
      if (targets.length === 0) return;
      const hashes = new Map<number, string>();
      for (let i = 0; i < targets.length; i += 500) {
        const part = targets.slice(i, i + 500);
        const rows = await this.#db.all<{ seq: number; hash: string }>(
          `SELECT seq, hash FROM audit_events WHERE account = ? AND seq IN (${part.map(() => '?').join(', ')})`,
          [account, ...part],
        );
        for (const r of rows) hashes.set(r.seq, r.hash);
      }
      const signed: SignedDigest[] = [];
      let prev = last;
      for (const t of targets) {
        const hash = hashes.get(t);
        if (hash === undefined) throw new Error(`audit record ${t} of account ${account} is missing; not signing a digest over it`);
        const d = makeDigest(account, prev, t, hash, this.#clock());
        signed.push(await signDigest(this.#signer, account, d));
        prev = d;
      }
      const written = await this.#db.transaction(async (sql) => {
        const cur = await sql.get<{ t: number | null }>('SELECT max(to_seq) AS t FROM audit_digests WHERE account = ?', [account]);
        if ((cur?.t ?? 0) !== from) return false;
        for (let i = 0; i < signed.length; i += 200) {
          const part = signed.slice(i, i + 200);
          await sql.run(
            `INSERT INTO audit_digests (account, to_seq, digest_json, signature) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}`,
            part.flatMap((s) => [account, s.digest.toSeq, canonicalJson(s.digest), Buffer.from(s.signature, 'base64')]),
          );
        }
        return true;
      });
      if (written) return;
      // another writer got there first: start again from its digest
    }
    throw new Error(`gave up writing the audit digests of account ${account}: the last digest kept moving`);
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

  async #records(account: string, after: number, upTo: number): Promise<StoredRecord[]> {
    const rows = await this.#db.all<{ seq: number; prev_hash: string; hash: string; event_json: string }>(
      'SELECT seq, prev_hash, hash, event_json FROM audit_events WHERE account = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
      [account, after, upTo, READ_CHUNK],
    );
    return rows.map((r) => ({ seq: r.seq, prevHash: r.prev_hash, hash: r.hash, eventJson: r.event_json }));
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

