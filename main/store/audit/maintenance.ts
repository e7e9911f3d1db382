// Keeping the trail after records are committed: off the appends' path,
// per account and one at a time, on a second connection (see #connection):
//   - digests: when a chain passes a multiple of digestEvery, the digests
//     for those boundaries are signed and written (the signer may read the
//     vault, so never inside a transaction of ours), then the anchor is
//     advanced to the newest (core/integrity/anchor.ts); a checkpoint writes one more
//     over each chain's tail. Two writers racing for the same digest are
//     settled by the guarded INSERT that writes them: the loser sees that the
//     last digest moved and starts over from it;
//   - the block index for lookups (audit_blocks, audit_lookup; see migration
//     0002), one block per run, written by two INSERT … SELECTs that run
//     entirely inside SQLite. Lookups read the blocks that can match and the
//     records not yet in a block (lookup.ts), so they never wait for this;
//   - a WAL checkpoint after each run, so the appends' connection need not
//     (append.ts, #setUp).
// An account whose digest could not be written is "broken": the service
// runs none of its calls until a later attempt succeeds (AuditLog.ready).
import { canonicalJson } from '../../core/audit/chain.js';
import { digestBoundaries, isAuditDigest, makeDigest, signDigest, type AuditDigest, type AuditSigner, type SignedDigest } from '../../core/audit/digest.js';
import { anchorOf, type AnchorStore } from '../../core/integrity/anchor.js';
import type { Database } from '../sqlite.js';
import { ACCOUNT, OTHER_ARNS } from './columns.js';
import { checkAnchor } from './export-verify.js';

/** the most records in one block of the lookup index */
const BLOCK_SIZE = 5000;

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

/** head: the last record, if there are records after the last digest */
type DigestState = { lastJson: string | undefined; hashes: Map<number, string>; head: number | undefined };

export interface MaintenanceOptions {
  signer: AuditSigner;
  anchor: AnchorStore | undefined;
  /** a digest every this many records of an account */
  every: number;
  clock: () => number;
  log: (message: string, error?: unknown) => void;
}

export class Maintenance {
  /** the appends' connection: another connection to the same file is opened from it */
  readonly #db: Database;
  readonly #opts: MaintenanceOptions;
  /** per account, the maintenance queued or running, one at a time */
  readonly #work = new Map<string, Promise<unknown>>();
  /** accounts whose last digest could not be written, with the error: their calls fail until one is */
  readonly #broken = new Map<string, unknown>();
  /** the connection maintenance runs on (see #connection) */
  #side: Promise<Database> | undefined;

  constructor(db: Database, opts: MaintenanceOptions) {
    this.#db = db;
    this.#opts = opts;
  }

  isBroken(account: string): boolean {
    return this.#broken.has(account);
  }

  /** Resolves when no maintenance is queued or running. */
  async settled(): Promise<void> {
    while (this.#work.size) await Promise.all(this.#work.values());
  }

  /**
   * Queues maintenance for an account behind any already queued: the digests
   * due (and, for 'tail', one over the tail), then the block index up to
   * record `upTo` (a digest boundary; for 'tail', the last record), so
   * blocks end where digests do whatever else is appended meanwhile.
   * Resolves to the error if the digests failed.
   *
   * It holds SQLite's write lock only while SQLite works, never across a
   * trip through the event loop, so the group commits it competes with
   * wait little: the digests are one guarded INSERT (a statement is its own
   * transaction), and the index's two INSERTs run as one script (see #index).
   */
  run(account: string, upTo: number | 'tail'): Promise<unknown> {
    const final = upTo === 'tail';
    return this.#queue(account, async () => {
      let failure: unknown;
      for (let round = 0; ; round++) {
        let signed: SignedDigest[] = [];
        let follows = 0;
        let head: number | undefined;
        failure = undefined;
        try {
          await checkAnchor(this.#db, this.#opts.anchor, account); // never sign on top of a trail that was cut back
          const state = await this.#digestState(account);
          head = state.head;
          ({ signed, follows } = await this.#dueDigests(account, state, final));
        } catch (e) {
          failure = e; // the index is still brought up to date
        }
        let written = true;
        if (signed.length > 0) {
          const values = signed.flatMap((d) => [account, d.digest.toSeq, canonicalJson(d.digest), Buffer.from(d.signature, 'base64')]);
          const db = await this.#connection();
          written = (await db.exclusive((sql) => sql.run(guardedDigestSql(signed.length), [...values, account, follows]))).changes === signed.length;
          // after the digest is stored, so whoever reads the anchor finds its digest
          if (written) {
            try {
              await this.#opts.anchor?.advance(account, anchorOf(signed[signed.length - 1]!.digest));
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
      // the WAL's pages into the database file, off the appends' path
      try {
        await (await this.#connection()).exclusive((sql) => sql.exec('PRAGMA wal_checkpoint(PASSIVE)'));
      } catch (e) {
        this.#opts.log('audit maintenance: a WAL checkpoint failed', e);
      }
      if (failure !== undefined) {
        this.#broken.set(account, failure); // the account's calls fail until a digest is written (AuditLog.ready)
        this.#opts.log(`writing an audit digest for account ${account} failed`, failure);
        throw failure;
      }
      this.#broken.delete(account);
    });
  }

  /** Closes the connection maintenance opened (not the appends' one). */
  async close(): Promise<void> {
    const side = this.#side;
    this.#side = undefined;
    await side?.then((db) => db.close()).catch(() => undefined);
  }

  /**
   * The connection maintenance runs on: a second one to the same file,
   * opened on first need. On the appends' connection, each maintenance
   * statement would hold the next group commit in the queue until the event
   * loop came back to it, which, while a batch of calls is running, is the
   * length of their work. On its own connection it only competes for
   * SQLite's write lock, and only for its two short writes, each a single
   * trip to the threadpool.
   */
  #connection(): Promise<Database> {
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
    const literal = (q: string) => q.replaceAll('?1', `'${account}'`).replaceAll('?2', String(BLOCK_SIZE)).replaceAll('?3', String(end));
    const script = `BEGIN IMMEDIATE;\n${literal(INDEX_VALUES_SQL)};\n${literal(INDEX_BLOCK_SQL)};\nCOMMIT`;
    const db = await this.#connection();
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

  /** The account's last digest (its JSON) and the hashes of the records after it that a digest may cover: multiples of digestEvery, and the last one (its seq: head). */
  async #digestState(account: string): Promise<DigestState> {
    const rows = await (await this.#connection()).all<{ seq: number | null; v: string }>(DIGEST_STATE_SQL, [account, this.#opts.every]);
    const lastJson = rows.find((r) => r.seq === null)?.v;
    const hashes = new Map(rows.filter((r) => r.seq !== null).map((r) => [r.seq!, r.v]));
    return { lastJson, hashes, head: hashes.size > 0 ? Math.max(...hashes.keys()) : undefined };
  }

  /** Signs the digests due on the account's chain (and, if final, one over its tail), and says which digest they follow. */
  async #dueDigests(account: string, state: DigestState, final: boolean): Promise<{ signed: SignedDigest[]; follows: number }> {
    const last = state.lastJson === undefined ? undefined : parseDigest(state.lastJson, account);
    const from = last?.toSeq ?? 0;
    const head = Math.max(from, state.head ?? 0);
    const targets = digestBoundaries(from, head, this.#opts.every);
    if (final && head > (targets.at(-1) ?? from)) targets.push(head);
    const signed: SignedDigest[] = [];
    let prev = last;
    for (const t of targets) {
      const hash = state.hashes.get(t);
      if (hash === undefined) throw new Error(`audit record ${t} of account ${account} is missing; not signing a digest over it`);
      const d = makeDigest(account, prev, t, hash, this.#opts.clock());
      signed.push(await signDigest(this.#opts.signer, account, d));
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
}

function parseDigest(json: string, account: string): AuditDigest {
  const d = JSON.parse(json) as unknown;
  if (!isAuditDigest(d) || d.account !== account) throw new Error(`the last stored audit digest of account ${account} is malformed; run audit verify`);
  return d;
}
