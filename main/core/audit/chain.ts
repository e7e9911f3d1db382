// The per-tenant hash chain. Record n of an account is {seq: n, prevHash,
// event}; its hash is SHA-256 over the RFC 8785 (JCS) canonical JSON of
// exactly that object, hex-encoded; prevHash is the hash of record n-1, or
// 64 zeros for record 1. Editing, removing, inserting or reordering a
// record changes a hash that a later record, or a signed digest, commits to.
//
// The canonical JSON of {event, prevHash, seq} is, by JCS's key order,
//   {"event":<JCS(event)>,"prevHash":"<hex>","seq":<n>}
// so the store keeps JCS(event) as the record's text and hashes it without
// serialising the event again (recordHashOf). recordHash() is the plain
// definition; a test checks the two agree. JCS itself is the canonicalize
// package (by one of RFC 8785's authors).
import canonicalizeModule from 'canonicalize';
import { createHash, hash } from 'node:crypto';
import type { AuditEvent } from './event.js';

// canonicalize is CommonJS (module.exports = fn) with an ESM-style `export
// default` in its typings; under NodeNext the default import is the function.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

export const GENESIS_HASH = '0'.repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;

export interface ChainRecord {
  seq: number;
  prevHash: string;
  event: AuditEvent;
}

export interface HashedRecord extends ChainRecord {
  hash: string;
}

/** A record as stored or exported: the event as its canonical JSON text. */
export interface StoredRecord {
  seq: number;
  prevHash: string;
  hash: string;
  eventJson: string;
}

/** RFC 8785 canonical JSON of a JSON value; throws on what JSON cannot hold. */
export function canonicalJson(value: unknown): string {
  // Fast path, for the audited target (see README, Benchmarks): JSON.stringify of a value already in canonical order.
  const s = inCanonicalOrder(value, 0) ? JSON.stringify(value) : canonicalize(value);
  if (s === undefined) throw new TypeError('expected a JSON value, got undefined');
  return s;
}

/**
 * Whether JSON.stringify writes this value exactly as RFC 8785 does: it
 * writes strings and numbers the same way (§3.2.2.2, §3.2.2.3), so a value
 * qualifies when every object's members already come in canonical order
 * (strictly increasing UTF-16 code units, §3.2.3; a key like "10", which
 * JavaScript lists before "9", fails this, as it should) and it holds only
 * what both write alike: plain objects and arrays without toJSON, strings,
 * booleans, finite numbers, null, and (in objects, where both leave them
 * out) undefined; at most 64 levels deep. buildEvent and redaction build
 * records that way. A property test holds this equal to the library
 * (test/core/audit/canonical-json.test.ts).
 */
function inCanonicalOrder(v: unknown, depth: number): boolean {
  if (typeof v !== 'object' || v === null) return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || v === null;
  if (depth > 64 || (v as { toJSON?: unknown }).toJSON !== undefined) return false;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false;
    for (let i = 0; i < v.length; i++) if (!(i in v) || !inCanonicalOrder(v[i], depth + 1)) return false; // a hole: the library skips it
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(v);
  return keys.every((k, i) => (i === 0 || keys[i - 1]! < k) && ((v as Record<string, unknown>)[k] === undefined || inCanonicalOrder((v as Record<string, unknown>)[k], depth + 1)));
}

export const isHash = (s: unknown): s is string => typeof s === 'string' && HEX64.test(s);

/** The definition: SHA-256 of JCS({seq, prevHash, event}). */
export function recordHash(r: ChainRecord): string {
  return createHash('sha256').update(canonicalJson({ seq: r.seq, prevHash: r.prevHash, event: r.event })).digest('hex');
}

/** The same hash from the event's canonical JSON text (which must be JCS output). */
export function recordHashOf(seq: number, prevHash: string, eventJson: string): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`expected seq to be a positive integer, got ${seq}`);
  if (!isHash(prevHash)) throw new RangeError(`expected prevHash to be 64 lower-case hex digits, got ${JSON.stringify(prevHash)}`);
  return hash('sha256', `{"event":${eventJson},"prevHash":"${prevHash}","seq":${seq}}`, 'hex');
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export const EMPTY_HEAD: ChainHead = Object.freeze({ seq: 0, hash: GENESIS_HASH });

/** Links events onto a chain whose last record is `head` (EMPTY_HEAD for a new chain). */
export function extendChain(head: ChainHead, events: readonly AuditEvent[]): HashedRecord[] {
  let { seq, hash } = head;
  return events.map((event) => {
    const prevHash = hash;
    seq += 1;
    hash = recordHashOf(seq, prevHash, canonicalJson(event));
    return { seq, prevHash, event, hash };
  });
}
