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
  const s = jcs(value);
  if (s === undefined) throw new TypeError('expected a JSON value, got undefined');
  return s;
}

// canonicalJson runs once per audited call, so it has a fast path of its own
// (about twice as fast as the library on an event) that gives the library's
// output exactly, and hands the library every value it does not handle
// itself. The fast path covers plain JSON: null, booleans, finite numbers,
// strings, arrays without holes, and objects without toJSON, whose
// undefined- and symbol-valued members are left out. Strings need escaping
// only for `"`, `\`, U+0000–U+001F and (lone) surrogates (ECMA-262
// JSON.stringify, which RFC 8785 §3.2.2.2 adopts); every other string is
// written between quotes as it is. Number form: ES Number::toString, which
// is what JSON.stringify (and so the library) writes for a finite number.
// Keys are sorted by UTF-16 code units (Array.prototype.sort's default), and
// not sorted at all when they come in order already (buildEvent builds its
// records that way). Everything else — functions, bigints, non-finite
// numbers, toJSON, sparse arrays — goes to the library, with its errors and
// quirks. A property test (test/core/audit/canonical-json.test.ts) holds the two equal.
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
