// A validated input as the text an approval request keeps and hashes: the
// input written as JSON with its two non-JSON kinds of value tagged, in the
// style of MongoDB's Extended JSON (and Meteor's EJSON), then serialized as
// RFC 8785 canonical JSON, so one input has exactly one encoding:
//   - a blob (Uint8Array)  → {"$bytes": "<base64>"}
//   - a Date               → {"$date": "<ISO-8601>"}
//   - an object member whose name starts with "$" is written with one more
//     "$" ("$x" → "$$x"), so no input member is ever read back as a tag
//     (an EncryptionContext may hold any key).
// decodeInput gives back the same value (Buffers for blobs): runs and
// displays use what this returns, never the caller's original object.
import { canonicalJson } from '../audit/chain.js';
import type { JsonValue } from '../audit/event.js';

const BYTES = '$bytes';
const DATE = '$date';

/** The canonical text of a validated input. Throws on a value no schema produces (a function, a bigint, a cycle). */
export function encodeInput(input: unknown): string {
  return canonicalJson(encode(input, 0));
}

function encode(v: unknown, depth: number): JsonValue {
  if (depth > 64) throw new TypeError('an approval request input is nested too deeply');
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError('an approval request input holds a number JSON cannot');
    return v;
  }
  if (v instanceof Uint8Array) return { [BYTES]: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (v instanceof Date) return { [DATE]: v.toISOString() };
  if (Array.isArray(v)) return v.map((x) => encode(x, depth + 1));
  if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      setMember(out, k.startsWith('$') ? `$${k}` : k, encode(x, depth + 1));
    }
    return out;
  }
  throw new TypeError(`an approval request input holds a ${typeof v} JSON cannot`);
}

/** The input an encoding stands for. Throws on text encodeInput could not have written. */
export function decodeInput(text: string): Record<string, unknown> {
  const v = decode(JSON.parse(text) as JsonValue);
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array || v instanceof Date) {
    throw new TypeError('an approval request input is not an object');
  }
  return v as Record<string, unknown>;
}

function decode(v: JsonValue): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v !== 'object' || v === null) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === BYTES && typeof v[BYTES] === 'string') return Buffer.from(v[BYTES], 'base64');
  if (keys.length === 1 && keys[0] === DATE && typeof v[DATE] === 'string') return new Date(v[DATE]);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k.startsWith('$') && !k.startsWith('$$')) throw new TypeError(`an approval request input has a member '${k}' no encoding writes`);
    setMember(out, k.startsWith('$') ? k.slice(1) : k, decode(v[k]!));
  }
  return out;
}

/** o[k] = v, also for k = "__proto__" (a member name like any other here). */
function setMember(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}
