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
// definition; a test checks the two agree.
import canonicalizeModule from 'canonicalize';
import { createHash, hash as oneShotHash } from 'node:crypto';
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
  const s = typeof value === 'object' && value !== null && inOrder(value, 0) ? JSON.stringify(value) : jcs(value);
  if (s === undefined) throw new TypeError('expected a JSON value, got undefined');
  return s;
}

// canonicalJson runs once per audited call, so it has fast paths of its own
// that give the canonicalize library's output exactly, and hands the library
// every value they do not handle.
//
// RFC 8785 writes strings and numbers as ECMAScript's JSON.stringify does
// (§3.2.2.2, §3.2.2.3) and sorts object members by the UTF-16 code units of
// their names (§3.2.3), so for a value whose objects already have their
// members in that order, JSON.stringify's output is the canonical form. That
// is the first path; buildEvent and redaction build records that way, and it
// writes a record in one flat string (a string built piece by piece is a
// rope that hashing must first flatten, which costs as much again).
// inOrder() admits only what JSON.stringify and the library write alike:
// plain objects (prototype Object.prototype or null) and arrays without
// toJSON, whose own enumerable keys come in strictly increasing code-unit
// order (a key like "10" that JavaScript lists before "9" fails this, as it
// should), holding strings, booleans, finite numbers, null, nested such
// values, and (in objects, where both leave them out) undefined. Arrays
// must not hold undefined or holes; nothing may be a function, symbol or
// bigint; at most 64 levels deep.
//
// The second path (jcs) builds the text itself, sorting keys (Array.prototype.sort's
// default order) where they are not in order. Strings need escaping only
// for `"`, `\`, U+0000–U+001F and (lone) surrogates; every other string is
// written between quotes as it is. Numbers: ES Number::toString, what
// JSON.stringify writes for a finite number. Everything else — functions,
// bigints, non-finite numbers, toJSON, sparse arrays — goes to the library,
// with its errors and quirks. A property test
// (test/core/audit/canonical-json.test.ts) holds all of it equal to the library.
function inOrder(v: object, depth: number): boolean {
  if (depth > 64 || (v as { toJSON?: unknown }).toJSON !== undefined) return false;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' ? x !== null && !inOrder(x, depth + 1) : !isLeaf(x)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1]! < keys[i]!)) return false;
    const x: unknown = (v as Record<string, unknown>)[keys[i]!];
    if (typeof x === 'object' ? x !== null && !inOrder(x, depth + 1) : x !== undefined && !isLeaf(x)) return false;
  }
  return true;
}
const isLeaf = (x: unknown): boolean => typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const quote = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

function jcs(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return quote(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (Number.isFinite(v)) return String(v);
      break;
    case 'object': {
      if (v === null) return 'null';
      if ((v as { toJSON?: unknown }).toJSON instanceof Function) break;
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (i > 0) out += ',';
          if (x === undefined || typeof x === 'symbol') {
            if (!(i in v)) return canonicalize(v); // a hole: the library skips it
            out += 'null';
          } else out += jcs(x);
        }
        return out + ']';
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      for (let i = 1; i < keys.length; i++) {
        if (keys[i - 1]! > keys[i]!) {
          keys.sort();
          break;
        }
      }
      let out = '{';
      for (const k of keys) {
        const x = o[k];
        if (x === undefined || typeof x === 'symbol') continue;
        if (out.length > 1) out += ',';
        out += `${quote(k)}:${jcs(x)}`;
      }
      return out + '}';
    }
  }
  return canonicalize(v);
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
  return nextRecordHash(seq, prevHash, eventJson);
}

/** recordHashOf without the checks, for the records after a checked one: seq + 1 after it, prevHash a hash this module made. */
export function nextRecordHash(seq: number, prevHash: string, eventJson: string): string {
  return oneShotHash('sha256', `{"event":${eventJson},"prevHash":"${prevHash}","seq":${seq}}`, 'hex');
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
