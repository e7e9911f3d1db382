// The audit trail in SQLite (migration 0002; record format in core/audit):
// AuditLog, the one class the vault and the service use (core/service/ports.ts
// AuditTrail). It checks what it is given and delegates, one concern per
// file in this folder:
//   append.ts         appending, with group commit, and claiming intents
//   maintenance.ts    after commits: digests, the anchor, the block index, WAL checkpoints
//   lookup.ts         LookupEvents over the block index
//   export-verify.ts  export, verification of the stored trail, anchor checks
//   recover.ts        records of intents whose process died
//   keys.ts           the tenants' audit signing keys (audit_keys)
//   columns.ts        the lookup columns copied out of each event
import { KmsError } from '../../core/errors.js';
import { canonicalJson, type StoredRecord } from '../../core/audit/chain.js';
import { signStatement } from '../../core/audit/statement.js';
import { digestBoundaries, DEFAULT_DIGEST_EVERY, type AuditSigner } from '../../core/audit/digest.js';
import type { AuditEvent } from '../../core/audit/event.js';
import type { VerifyResult } from '../../core/audit/verify.js';
import type { AnchorStore } from '../../core/integrity/anchor.js';
import type { RowMac } from '../../core/integrity/row-mac.js';
import type { KeyObject } from 'node:crypto';
import type { Database } from '../sqlite.js';
import { auditWriteFailed, GroupCommit, type Span } from './append.js';
import { ACCOUNT, columnsOf, type Columns } from './columns.js';
import { checkAnchor, exportTrail, verifyTrail, type TrailContext } from './export-verify.js';
import { lookupEvents, type LookupFilters, type LookupResult } from './lookup.js';
import { Maintenance } from './maintenance.js';
import { recoverIntents } from './recover.js';

export type { LookupFilters, LookupResult } from './lookup.js';

export interface AuditLogOptions {
  /** a digest every this many records of an account (default 1000) */
  digestEvery?: number;
  /** the most appends one transaction carries (default 4096) */
  maxBatch?: number;
  /** epoch ms for digest and export times */
  clock?: () => number;
  /** where failures that no caller is waiting for go (digest writes) */
  log?: (message: string, error?: unknown) => void;
  /** where each trail's newest signed digest is remembered outside the database (core/integrity/anchor.ts) */
  anchor?: AnchorStore;
  /** checks the MACs of audit intents (core/integrity/row-mac.ts) before recovery appends them */
  rowMac?: RowMac;
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

export class AuditLog {
  readonly #db: Database;
  readonly #signer: AuditSigner;
  readonly #every: number;
  readonly #clock: () => number;
  readonly #rowMac: RowMac | undefined;
  readonly #trail: TrailContext;
  readonly #appends: GroupCommit;
  readonly #maintenance: Maintenance;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** accounts appended to by this instance, which get a digest over their tail on checkpoint and close */
  readonly #touched = new Set<string>();
  /** accounts whose signing key has opened in this process (see ready) */
  readonly #ready = new Set<string>();

  constructor(db: Database, signer: AuditSigner, opts: AuditLogOptions = {}) {
    this.#db = db;
    this.#signer = signer;
    this.#every = opts.digestEvery ?? DEFAULT_DIGEST_EVERY;
    if (!Number.isSafeInteger(this.#every) || this.#every < 1) throw new RangeError(`expected digestEvery to be a positive integer, got ${opts.digestEvery}`);
    this.#clock = opts.clock ?? Date.now;
    this.#rowMac = opts.rowMac;
    const log = opts.log ?? (() => {});
    this.#trail = { db, signer, anchor: opts.anchor, clock: this.#clock, every: this.#every };
    this.#maintenance = new Maintenance(db, { signer, anchor: opts.anchor, every: this.#every, clock: this.#clock, log });
    this.#appends = new GroupCommit(db, { maxBatch: opts.maxBatch ?? 4096, log, committed: (spans) => this.#committed(spans) });
  }

  /**
   * Appends one record to the account's chain; resolves once it is
   * committed, rejects if it could not be. With `claims`, the record
   * replaces that intent in the same transaction (see append.ts, claim).
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
    return this.#appends.add({ account, claims, eventJson, ...cols });
  }

  /**
   * Resolves when the account's trail can be kept: its signing key opens,
   * and its last digest was written. Rejects otherwise, trying the digest
   * once more first; the service runs no call until this resolves.
   */
  async ready(account: string): Promise<void> {
    if (this.#ready.has(account) && !this.#maintenance.isBroken(account)) return;
    if (this.#closed) throw auditWriteFailed(new Error('the audit log is closed'));
    let tail = 0;
    try {
      await this.#signer.publicKeyPem(account); // opens (or first creates) the sealed signing key
      tail = (await checkAnchor(this.#db, this.#trail.anchor, account)).unsigned;
    } catch (e) {
      throw trailUnusable(account, e);
    }
    // A tail left long by processes that died before signing it is signed before this process adds to it.
    if (this.#maintenance.isBroken(account) || tail >= this.#every) {
      const failure = await this.#maintenance.run(account, 'tail');
      if (failure !== undefined) throw trailUnusable(account, failure);
    }
    this.#ready.add(account);
  }

  /**
   * After a crash: appends the record of every intent whose writer is gone
   * (ports.ts AuditIntent), marked as recovered, then signs the tails they
   * extend (recover.ts).
   */
  async recover(opts: { all?: boolean } = {}): Promise<void> {
    if (await recoverIntents(this.#db, this.#rowMac, this.#clock, (account, event, claims) => this.append(account, event, claims), opts)) await this.checkpoint();
  }

  /** Resolves when every append made so far is committed (or rejected) and due digests are written. */
  async flush(): Promise<void> {
    await this.#appends.settled(); // each commit queues its maintenance before it settles
    await this.#maintenance.settled();
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
        await this.#maintenance.close();
      }
    })();
    return this.#closing;
  }

  /**
   * Writes a digest over the tail of every chain this instance appended to,
   * without closing (for the desktop app when the session locks or idles).
   */
  async checkpoint(): Promise<void> {
    await this.flush();
    const failures: unknown[] = [];
    for (const account of this.#touched) {
      const e = await this.#maintenance.run(account, 'tail');
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

  /** The seq of the account's newest record, once every append made so far is committed. */
  async head(account: string): Promise<number> {
    await this.flush();
    return (await this.#db.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM audit_events WHERE account = ?', [account]))?.seq ?? 0;
  }

  /** The account's records after seq `after` up to `upTo`, in order, once every append made so far is committed. */
  async records(account: string, after: number, upTo: number): Promise<StoredRecord[]> {
    await this.flush();
    const rows = await this.#db.all<{ seq: number; prev_hash: string; hash: string; event_json: string }>(
      'SELECT seq, prev_hash, hash, event_json FROM audit_events WHERE account = ? AND seq > ? AND seq <= ? ORDER BY seq',
      [account, after, upTo],
    );
    return rows.map((r) => ({ seq: r.seq, prevHash: r.prev_hash, hash: r.hash, eventJson: r.event_json }));
  }

  /** Signs a statement that is not a digest (core/audit/statement.ts) with the account's audit key. */
  signStatement(account: string, statement: { type: string }): Promise<string> {
    return signStatement(this.#signer, account, statement);
  }

  /** Records of an account, newest first, like CloudTrail LookupEvents (lookup.ts). */
  lookup(account: string, filters: LookupFilters = {}): Promise<LookupResult> {
    return lookupEvents(this.#db, account, filters);
  }

  /**
   * Writes the account's whole trail as an export (core/audit/export.ts),
   * chunk by chunk, to `write`. Appends made before the call are included.
   */
  async exportTo(account: string, write: (chunk: string) => void | Promise<void>): Promise<{ records: number; digests: number }> {
    await this.flush();
    return exportTrail(this.#trail, account, write);
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
    return verifyTrail(this.#trail, account, opts.publicKeyPem);
  }

  /** After a commit: the accounts get a digest over their tail at close, and maintenance for the digests now due. */
  #committed(spans: Map<string, Span>): void {
    for (const [account, { before, after }] of spans) {
      this.#touched.add(account);
      const due = digestBoundaries(before, after, this.#every);
      if (due.length > 0) void this.#maintenance.run(account, due[due.length - 1]!);
    }
  }
}
