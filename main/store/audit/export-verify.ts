// Reading a stored trail whole: the export (core/audit/export.ts has the
// format), the verification of the stored chain, its digests, the lookup
// columns and the block index, and the anchor checks (core/integrity/anchor.ts): a
// trail cut back below the digest the anchor remembers is named as cut
// back, is never exported as if whole, and never gets a digest signed on
// top of it (maintenance.ts and AuditLog.ready call checkAnchor first).
import { KmsError } from '../../core/errors.js';
import type { StoredRecord } from '../../core/audit/chain.js';
import { isAuditDigest, type AuditDigest, type AuditSigner, type SignedDigest } from '../../core/audit/digest.js';
import type { AuditEvent } from '../../core/audit/event.js';
import { ExportWriter } from '../../core/audit/export.js';
import { verifyChain, type Problem, type VerifyResult } from '../../core/audit/verify.js';
import { anchorProblem, type AnchorStore } from '../../core/integrity/anchor.js';
import type { KeyObject } from 'node:crypto';
import type { Database } from '../sqlite.js';
import { columnsOf, OTHER_ARNS, wellFormed, type Columns } from './columns.js';

/** records read per statement */
const READ_CHUNK = 5000;

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

/** What exporting and verifying read and sign with. */
export interface TrailContext {
  db: Database;
  signer: AuditSigner;
  anchor: AnchorStore | undefined;
  clock: () => number;
  /** a digest every this many records of an account */
  every: number;
}

/**
 * Throws when the account's stored trail no longer holds the digest its
 * anchor names (it was cut back, or the digest replaced); otherwise says
 * how many records follow the last stored digest.
 */
export async function checkAnchor(db: Database, anchorStore: AnchorStore | undefined, account: string): Promise<{ unsigned: number }> {
  const anchor = await anchorStore?.read(account);
  const row = await db.get<{ head: number | null; signed: number | null; anchored: string | null }>(
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

const lastSeq = async (db: Database, account: string) => (await db.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM audit_events WHERE account = ?', [account]))?.seq ?? 0;

/**
 * Writes the account's whole trail as an export, chunk by chunk, to
 * `write`. Refuses a trail that was cut back.
 */
export async function exportTrail(t: TrailContext, account: string, write: (chunk: string) => void | Promise<void>): Promise<{ records: number; digests: number }> {
  const publicKeyPem = await t.signer.publicKeyPem(account);
  const last = await lastSeq(t.db, account);
  const digests = await storedDigests(t.db, account, last);
  // An export is signed over all it holds: a trail cut back must not come out of it vouched for.
  const cutBack = anchorProblem(account, await t.anchor?.read(account), digests.map((d) => d.digest).filter(isAuditDigest), last);
  if (cutBack) throw new KmsError('KMSInvalidStateException', `${cutBack}. No export was made; run \`strongroom audit verify\`.`);
  const w = new ExportWriter(account, t.clock());
  await write(w.header(publicKeyPem));
  let records = 0;
  let d = 0;
  for (let after = 0; ; ) {
    const rows = await t.db.all<{ seq: number; prev_hash: string; hash: string; event_json: string }>(
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
  await write(tail + (await w.finish(t.signer)));
  return { records, digests: digests.length };
}

/**
 * Verifies the account's stored trail: the chain, the digests (with the
 * signer's public key, or the one given), that the lookup columns agree
 * with each event, that the lookup index agrees with the records, and
 * that the trail still holds what its anchor names.
 */
export async function verifyTrail(t: TrailContext, account: string, publicKeyPem?: string | KeyObject): Promise<VerifyResult> {
  const publicKey = publicKeyPem ?? (await t.signer.publicKeyPem(account));
  // The digests first, then the records up to the head as it is now (another process may be appending):
  // every digest read covers records committed before it, so a digest past the head means records were cut off.
  const digests = await storedDigests(t.db, account, Number.MAX_SAFE_INTEGER);
  const head = await lastSeq(t.db, account);
  const records: StoredRecord[] = [];
  const extra: Problem[] = [];
  for (let after = 0; ; ) {
    const rows = await t.db.all<{
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
  extra.push(...(await checkIndex(t.db, account, head)));
  const result = verifyChain({ account, publicKey, records, digests, maxUnsigned: 2 * t.every });
  const cutBack = anchorProblem(account, await t.anchor?.read(account), digests.map((d) => d.digest).filter(isAuditDigest), head);
  if (cutBack) extra.push({ seq: null, kind: 'truncated', message: cutBack });
  const problems = [...result.problems, ...extra];
  return { ...result, ok: problems.length === 0, problems };
}

/** Checks the block index against records 1..head: blocks tile them, and hold every value and time of their records. */
async function checkIndex(db: Database, account: string, head: number): Promise<Problem[]> {
  const blocks = await db.all<{ from_seq: number; to_seq: number }>('SELECT from_seq, to_seq FROM audit_blocks WHERE account = ? AND to_seq <= ? ORDER BY from_seq', [account, head]);
  const problems: Problem[] = [];
  let next = 1;
  for (const b of blocks) {
    if (b.from_seq !== next) problems.push({ seq: Math.min(b.from_seq, next), kind: 'edited', message: `the lookup index was changed: its blocks do not cover records ${next}..${b.from_seq - 1} exactly` });
    next = b.to_seq + 1;
  }
  const c = await db.get<{ missing: string | null; bad_times: string | null; extra: number }>(INDEX_CHECK_SQL, [account, head]);
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

async function storedDigests(db: Database, account: string, upTo: number): Promise<SignedDigest[]> {
  const rows = await db.all<{ digest_json: string; signature: Buffer }>('SELECT digest_json, signature FROM audit_digests WHERE account = ? AND to_seq <= ? ORDER BY to_seq', [
    account,
    upTo,
  ]);
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
