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
import { createHash } from 'node:crypto';
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
  const s = canonicalize(value);
  if (s === undefined) throw new TypeError('expected a JSON value, got undefined');
  return s;
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
  return createHash('sha256').update(`{"event":${eventJson},"prevHash":"${prevHash}","seq":${seq}}`).digest('hex');
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
