// Verifies an account's trail (records + signed digests, from the vault or
// from an export) with nothing but the tenant's audit public key, and says
// what is wrong and where:
//   "record 17 was edited", "record 18 is missing", "records out of order
//   at 20", "an extra record was inserted after 12", bad digest signatures,
//   missing digests, and records cut off the end.
//
// How a problem is located. Every record carries its seq, the hash of its
// predecessor and its own hash. A record whose hash checks out under its
// stored seq is intact where it is. One whose hash checks out only under a
// nearby seq is intact but moved (its "original seq"). One whose hash
// checks out under no seq had its content changed. Walking the records in
// stored order against the expected next original seq then tells edited,
// missing, moved and extra records apart; the previous-hash links tell
// which of two records claiming one place is the genuine one. An attacker
// who re-hashes everything after a change (no key needed for that) is
// caught by the signed digests instead: a digest's lastHash no longer
// matches, and the report names the range the digest covers.
import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, isHash, recordHashOf, type StoredRecord } from './chain.js';
import { DEFAULT_DIGEST_EVERY, digestHash, isAuditDigest, publicKeyFromPem, verifyDigestSignature, type AuditDigest } from './digest.js';

type ProblemKind =
  | 'edited'
  | 'missing'
  | 'reordered'
  | 'inserted'
  | 'truncated'
  | 'digest-mismatch'
  | 'digest-missing'
  | 'bad-signature'
  | 'wrong-account'
  | 'wrong-key'
  | 'unsigned'
  | 'malformed';

export interface Problem {
  /** the first record concerned, or null when the problem is not about one record */
  seq: number | null;
  kind: ProblemKind;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  account: string;
  /** records examined */
  records: number;
  /** digests examined */
  digests: number;
  /** the last record's sequence number (0 for an empty trail) */
  lastSeq: number;
  /** records 1..signedThrough are covered by an unbroken chain of valid signed digests */
  signedThrough: number;
  /** records after the last digest: intact as a chain, but no signature vouches for them yet */
  unsigned: { fromSeq: number; toSeq: number } | null;
  problems: Problem[];
}

interface ChainInput {
  account: string;
  /** the tenant's audit public key (PEM SPKI or KeyObject) */
  publicKey: string | KeyObject;
  /** the records in their stored order (ascending seq in the vault; file order in an export) */
  records: readonly StoredRecord[];
  /** the signed digests in stored order, as parsed ({digest, signature}); shapes are checked here */
  digests: readonly unknown[];
  /**
   * How many records after the last signed digest are accepted unsigned
   * (default MAX_UNSIGNED_TAIL). More is a problem: digests were deleted
   * along with part of the trail, or could not be written.
   */
  maxUnsigned?: number;
}

/**
 * The longest unsigned tail a trail may have. A digest is written at every
 * DEFAULT_DIGEST_EVERY records and over the tail when a process closes;
 * one written after a boundary may still be in flight, or lost with a
 * crashed process, so two intervals are allowed, no more.
 */
const MAX_UNSIGNED_TAIL = 2 * DEFAULT_DIGEST_EVERY;

/** how far from its stored seq a moved record's original seq is looked for */
const SEARCH = 16;
/** the longest run of shuffled records recognised as one reordering */
const WINDOW = 4096;

interface Accepted {
  idx: number;
  problem: Problem | undefined;
}

function wellFormed(r: StoredRecord): boolean {
  return Number.isSafeInteger(r.seq) && r.seq >= 1 && isHash(r.prevHash) && isHash(r.hash) && typeof r.eventJson === 'string';
}

function hashMatches(r: StoredRecord, seq: number): boolean {
  return seq >= 1 && recordHashOf(seq, r.prevHash, r.eventJson) === r.hash;
}

/** The seq under which r's hash checks out: its own, or one nearby (moved), or null (content changed). */
function originalSeq(r: StoredRecord, preferShift: number): number | null {
  if (preferShift !== 0 && hashMatches(r, r.seq - preferShift)) return r.seq - preferShift;
  for (let d = 1; d <= SEARCH; d++) {
    if (hashMatches(r, r.seq - d)) return r.seq - d;
    if (hashMatches(r, r.seq + d)) return r.seq + d;
  }
  return null;
}

const range = (a: number, b: number) => (a === b ? `record ${a} is` : `records ${a}..${b} are`);

export function verifyChain(input: ChainInput): VerifyResult {
  const { account, records } = input;
  const n = records.length;
  const problems: Problem[] = [];
  const report = (seq: number | null, kind: ProblemKind, message: string): Problem => {
    const p = { seq, kind, message };
    problems.push(p);
    return p;
  };

  // Pass 1: which records are intact exactly where they are.
  const good = new Array<boolean>(n);
  let clean = true;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    good[i] = wellFormed(r) && hashMatches(r, r.seq);
    if (!good[i] || r.seq !== i + 1 || r.prevHash !== (i === 0 ? GENESIS_HASH : records[i - 1]!.hash)) clean = false;
  }

  // accepted[o] = the record taken as original record o
  const accepted = new Map<number, Accepted>();
  const missing: [number, number][] = [];
  let lastSeq = 0;

  if (clean) {
    for (let i = 0; i < n; i++) accepted.set(i + 1, { idx: i, problem: undefined });
    lastSeq = n;
  } else {
    // Pass 2 (only when something is off): original seqs, then a walk.
    const orig = new Array<number | null>(n);
    const where = new Map<number, number[]>();
    let shift = 0;
    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      if (!wellFormed(r)) {
        orig[i] = null;
        continue;
      }
      const o = good[i] ? r.seq : originalSeq(r, shift);
      orig[i] = o;
      if (o !== null) {
        shift = r.seq - o;
        const list = where.get(o);
        if (list) list.push(i);
        else where.set(o, [i]);
      }
    }
    const laterAt = (o: number, after: number) => (where.get(o) ?? []).find((j) => j > after);

    let expected = 1;
    let prevHash = GENESIS_HASH;
    let currentShift = 0;
    let last: Accepted | undefined;
    const accept = (i: number, o: number, problem: Problem | undefined) => {
      const a = { idx: i, problem };
      accepted.set(o, a);
      last = a;
      prevHash = records[i]!.hash;
      expected = o + 1;
      lastSeq = Math.max(lastSeq, o);
      const s = records[i]!.seq - o;
      if (s !== currentShift && !problem && wellFormed(records[i]!)) report(records[i]!.seq, 'reordered', `record ${o} is stored as record ${records[i]!.seq}`);
      currentShift = s;
    };
    const before = (i: number) => (i === 0 ? 'at the start' : `after ${records[i - 1]!.seq}`);

    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      const o = orig[i]!;
      if (!wellFormed(r)) {
        accept(i, expected, report(Number.isSafeInteger(r.seq) ? r.seq : null, 'malformed', `record ${Number.isSafeInteger(r.seq) ? r.seq : `#${i + 1}`} is malformed`));
        continue;
      }
      if (o === null) {
        accept(i, expected, report(r.seq, 'edited', `record ${r.seq} was edited`));
        continue;
      }
      if (o === expected) {
        let problem: Problem | undefined;
        if (r.prevHash !== prevHash && !last) {
          problem = report(r.seq, 'edited', `record ${r.seq} was edited`);
        } else if (r.prevHash !== prevHash && last && !last.problem) {
          // r is intact where it is, so what changed is the record before it, re-hashed to look intact
          const prev = records[last.idx]!;
          problem = report(prev.seq, 'edited', `record ${prev.seq} was edited (and its hash recomputed)`);
          last.problem = problem;
        }
        accept(i, o, problem);
        continue;
      }
      if (o > expected) {
        // Records expected..o-1 are not here: are they further on (shuffled) or gone?
        let shuffled = false;
        for (let k = expected; k < o && k < expected + WINDOW; k++) {
          if (laterAt(k, i) !== undefined) {
            shuffled = true;
            break;
          }
        }
        if (!shuffled) {
          missing.push([expected, o - 1]);
          accept(i, o, report(expected, 'missing', `${range(expected, o - 1)} missing`));
          continue;
        }
        // The smallest run from i whose original seqs are exactly expected..expected+len-1.
        let lo = Infinity;
        let hi = -Infinity;
        let end = -1;
        for (let j = i; j < n && j < i + WINDOW; j++) {
          const oj = orig[j];
          if (oj === null || oj === undefined || oj < expected) break;
          lo = Math.min(lo, oj);
          hi = Math.max(hi, oj);
          if (lo === expected && hi - expected === j - i) {
            end = j;
            break;
          }
        }
        const p = report(r.seq, 'reordered', `records out of order at ${r.seq}`);
        if (end < 0) {
          accept(i, o, p);
          continue;
        }
        const run = Array.from({ length: end - i + 1 }, (_, k) => i + k).sort((a, b) => orig[a]! - orig[b]!);
        for (const j of run) accept(j, orig[j]!, p);
        currentShift = records[end]!.seq - hi;
        i = end;
        continue;
      }
      // o < expected: this record's place is taken already, or it comes late.
      const earlier = accepted.get(o);
      if (earlier) {
        // Two records claim place o: the genuine one is the one its successor links to.
        const next = laterAt(o + 1, i);
        const linksThis = next !== undefined && records[next]!.prevHash === r.hash;
        const linksEarlier = next !== undefined && records[next]!.prevHash === records[earlier.idx]!.hash;
        if (linksThis && !linksEarlier) {
          if (earlier.problem) problems.splice(problems.indexOf(earlier.problem), 1);
          const p = report(records[earlier.idx]!.seq, 'inserted', `an extra record was inserted ${before(earlier.idx)}`);
          accept(i, o, p);
        } else {
          report(r.seq, 'inserted', `an extra record was inserted ${before(i)}`);
        }
        continue;
      }
      report(r.seq, 'reordered', `records out of order at ${r.seq}`);
    }
  }

  // The digests.
  let key: KeyObject | undefined;
  try {
    key = publicKeyFromPem(input.publicKey);
  } catch {
    report(null, 'wrong-key', 'the audit public key given is not an Ed25519 public key');
  }
  let prev: AuditDigest | undefined;
  let signedThrough = 0;
  let unbroken = true;
  let truncationReported = false;
  for (const [k, sd] of input.digests.entries()) {
    const d = (sd as { digest?: unknown } | null)?.digest;
    if (!isAuditDigest(d)) {
      report(null, 'malformed', `digest #${k + 1} is malformed`);
      unbroken = false;
      continue;
    }
    const span = `records ${d.fromSeq}..${d.toSeq}`;
    let fine = true;
    if (d.account !== account) {
      report(d.fromSeq, 'wrong-account', `the digest over ${span} belongs to account ${d.account}, not ${account}`);
      fine = false;
    }
    if (key && !verifyDigestSignature(key, d, (sd as { signature?: unknown }).signature)) {
      report(d.fromSeq, 'bad-signature', `the digest over ${span} has an invalid signature`);
      fine = false;
    }
    const expectedFrom = prev ? prev.toSeq + 1 : 1;
    if (d.fromSeq > expectedFrom) {
      report(expectedFrom, 'digest-missing', `the digest over records ${expectedFrom}..${d.fromSeq - 1} is missing`);
      fine = false;
    } else if (d.fromSeq !== expectedFrom || d.previousDigestHash !== (prev ? digestHash(prev) : GENESIS_HASH)) {
      report(d.fromSeq, 'digest-mismatch', `the digest over ${span} does not follow the digest before it`);
      fine = false;
    }
    const at = accepted.get(d.toSeq);
    if (!at) {
      if (d.toSeq > lastSeq) {
        if (!truncationReported) report(lastSeq + 1, 'truncated', `${range(lastSeq + 1, d.toSeq)} missing: the trail ends at record ${lastSeq} but a signed digest covers up to ${d.toSeq}`);
        truncationReported = true;
      } else if (!missing.some(([a, b]) => a <= d.toSeq && d.toSeq <= b)) {
        report(d.toSeq, 'missing', `record ${d.toSeq} is missing`);
      }
      fine = false;
    } else if (records[at.idx]!.hash !== d.lastHash) {
      report(d.fromSeq, 'digest-mismatch', `${span} do not match their signed digest: a record in this range was changed, added or removed and the chain re-hashed`);
      fine = false;
    }
    unbroken &&= fine;
    if (unbroken) signedThrough = d.toSeq;
    prev = d;
  }
  const digestedTo = prev?.toSeq ?? 0;
  const maxUnsigned = input.maxUnsigned ?? MAX_UNSIGNED_TAIL;
  if (lastSeq - signedThrough > maxUnsigned) {
    const from = signedThrough + 1;
    report(
      from,
      'unsigned',
      `${range(from, lastSeq)} not covered by a valid signed digest, and at most ${maxUnsigned} may be: digests were removed (perhaps with the end of the trail), or could not be written`,
    );
  }
  return {
    ok: problems.length === 0,
    account,
    records: n,
    digests: input.digests.length,
    lastSeq,
    signedThrough,
    unsigned: lastSeq > digestedTo ? { fromSeq: digestedTo + 1, toSeq: lastSeq } : null,
    problems,
  };
}

/** The first problem's description, for one-line reports. */
export const summary = (r: VerifyResult): string =>
  r.ok
    ? `OK: ${r.records} records, ${r.digests} digests${r.unsigned ? `; ${range(r.unsigned.fromSeq, r.unsigned.toSeq)} not yet covered by a digest` : ''}`
    : `FAILED: ${r.problems[0]!.message}${r.problems.length > 1 ? ` (and ${r.problems.length - 1} more problems)` : ''}`;
