// fast-check arbitraries derived from an operation's zod input schema, for
// the property tests in test/fuzz/. Each value is mostly well-shaped (so
// the handler behind the schema runs) with malformed parts mixed in: wrong
// types, empty and huge strings, lone surrogates and other unicode edge
// cases, NaN/±Infinity/-0, numbers just outside their bounds, blobs one
// byte too short or too long, extra members, own `__proto__`/`constructor`
// members, sparse and oversized arrays, moderately deep nesting.
//
// Nothing here names an operation: the schema gives the shape, and the
// caller's hints give realistic values by field name (`pools`: the vault's
// key ids, aliases, users, real ciphertexts…) and coherent partial inputs
// (`bundles`: a key with a ciphertext, signature or import token of its
// own), so an operation added to the table is fuzzed without edits.
// Schemas are read through the CLI's own unwrap (which side of a pipe has
// the shape, which member is a blob), so both agree on what a field is.
import fc from 'fast-check';
import type { z } from 'zod';
import { unwrap } from '../../main/cli/schema-shapes.js';

export interface Hints {
  /** realistic values by field name (at any depth): what the vault holds, and near misses */
  readonly pools?: Readonly<Record<string, readonly unknown[]>>;
  /** coherent partial inputs; a generated top-level object often takes its fields from one */
  readonly bundles?: readonly Readonly<Record<string, unknown>>[];
  /** field names whose pool is the only source of well-shaped values (passphrases: planted secrets only; never bypassing the lockout check) */
  readonly poolOnly?: ReadonlySet<string>;
}

type Schema = z.core.$ZodType;
type Arb = fc.Arbitrary<unknown>;

// ------------------------------------------------------------------ schema introspection

interface Checks {
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  int?: boolean;
  patterns: RegExp[];
}

function checksOf(schema: Schema): Checks {
  const out: Checks = { patterns: [] };
  for (const c of (schema._zod.def as { checks?: z.core.$ZodCheck[] }).checks ?? []) {
    const d = c._zod.def as unknown as Record<string, unknown>;
    switch (d['check']) {
      case 'min_length':
        out.minLength = d['minimum'] as number;
        break;
      case 'max_length':
        out.maxLength = d['maximum'] as number;
        break;
      case 'length_equals':
        out.minLength = out.maxLength = d['length'] as number;
        break;
      case 'greater_than':
        out.min = (d['value'] as number) + (d['inclusive'] ? 0 : 1);
        break;
      case 'less_than':
        out.max = (d['value'] as number) - (d['inclusive'] ? 0 : 1);
        break;
      case 'number_format':
        out.int = String(d['format']).includes('int');
        break;
      case 'string_format':
        if (d['pattern'] instanceof RegExp) out.patterns.push(d['pattern']);
        break;
    }
  }
  return out;
}

/** The fields of an object schema (after unwrapping), or undefined for any other schema. */
export function objectShape(schema: Schema): Record<string, Schema> | undefined {
  const { inner } = unwrap(schema);
  const def = inner._zod.def as { type: string; shape?: Record<string, Schema> };
  return def.type === 'object' ? def.shape : undefined;
}

const blobBoundsCache = new WeakMap<Schema, { min: number; max: number } | null>();

/**
 * A blob field's length bounds, found by asking the schema (its refine is a
 * closure, so the bounds are not readable): the shortest accepted length up
 * to 64, then the longest by doubling and bisection (up to 64 MiB).
 */
function blobBounds(schema: Schema): { min: number; max: number } | null {
  const cached = blobBoundsCache.get(schema);
  if (cached !== undefined) return cached;
  const ok = (n: number) => (schema as z.ZodType).safeParse(new Uint8Array(n)).success;
  let min = -1;
  for (let n = 0; n <= 64; n++) {
    if (ok(n)) {
      min = n;
      break;
    }
  }
  let result: { min: number; max: number } | null = null;
  if (min >= 0) {
    let lo = min;
    let hi = Math.max(1, min) * 2;
    while (hi <= 1 << 26 && ok(hi)) {
      lo = hi;
      hi *= 2;
    }
    // lo is accepted, hi is not (or past the search limit)
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (ok(mid)) lo = mid;
      else hi = mid;
    }
    result = { min, max: lo };
  }
  blobBoundsCache.set(schema, result);
  return result;
}

// ------------------------------------------------------------------ malformed values
// (Random values nest at most 64 deep; the 5,000-deep cases are explicit tests of their own.)

/** `{"a":{"a":…}}` nested `depth` deep. */
export function deepObject(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { a: 'leaf' };
  for (let i = 1; i < depth; i++) v = { a: v };
  return v;
}

/** `[[[…]]]` nested `depth` deep. */
export function deepArray(depth: number): unknown[] {
  let v: unknown[] = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
}

/** JSON text nested `depth` deep: what --cli-input-json or a policy document may carry (built as text: JSON.stringify of it may overflow the stack). */
export const deepJson = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
export const deepJsonArray = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** An object with an own `__proto__` member, as JSON.parse makes one (an object literal would set the prototype instead). */
export const ownProto = (value: unknown): Record<string, unknown> => JSON.parse(`{"__proto__": ${JSON.stringify(value)}}`) as Record<string, unknown>;

const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a\uD800b', '\uDC00\uD800', 'x\uD83D'];
/** Strings that trip up code that assumes well-formed, printable, short text. */
const EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  ...LONE_SURROGATES,
  '\uFEFF',
  '\uFFFF',
  '\uFFFE',
  '\u202Eevil',
  '\u200B',
  'e\u0301', // NFD é
  '\u00E9', // NFC é
  'ﬁ',
  'İ',
  '💥',
  '👩‍👩‍👧‍👦',
  '\u{10FFFF}',
  '%00',
  '%s%n',
  '${jndi:ldap://x}',
  '../../../etc/passwd',
  '\\\\?\\C:\\',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '[object Object]',
  '{}',
  '[]',
  '"',
  "'",
  '\\',
  '--',
  '-',
  '=',
  'a=b,c=d',
  'arn:',
  'alias/',
  '💥'.repeat(3000),
  'A'.repeat(70_000),
  deepJson(64),
];

/** Huge text, made once: 1 MiB of ASCII and 1 MiB of astral characters. */
const HUGE_STRINGS: readonly string[] = ['x'.repeat(1 << 20), '\u{1F4A5}'.repeat(1 << 18)];

const numberJunk: readonly unknown[] = [NaN, Infinity, -Infinity, -0, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE, -1, 2 ** 31, 2 ** 32 + 1, '1', '0x10', 1n];

/** Values of the wrong type for nearly any field. */
const GENERIC_JUNK: readonly unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
  '',
  [],
  {},
  [null],
  [undefined],
  new Date(NaN),
  new Date(0),
  10n,
  Symbol('fuzz'),
  () => 'fuzz',
  new Map([['a', 'b']]),
  new Set(['a']),
  Object.create(null) as object,
  ownProto({ polluted: 'yes' }),
  { constructor: { prototype: { polluted: 'yes' } } },
  new ArrayBuffer(8),
  new DataView(new ArrayBuffer(8)),
  new Uint16Array(4),
  new Float64Array([NaN]),
  new Uint8ClampedArray(4),
  /regex/,
  new Error('not an input'),
  Promise.resolve('later'),
  new String('boxed'),
  new Number(5),
  deepObject(64),
  deepArray(64),
];

function sparseArray(length: number, at: number, value: unknown): unknown[] {
  const a: unknown[] = [];
  a.length = length;
  a[at] = value;
  return a;
}

const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);

/** A copy of `b` placed at a non-zero byteOffset of a larger buffer: code that ignores byteOffset reads the wrong bytes. */
function offsetView(b: Uint8Array): Uint8Array {
  const big = new Uint8Array(b.length + 13).fill(0xa5);
  big.set(b, 7);
  return big.subarray(7, 7 + b.length);
}

function mutateBlob(b: Uint8Array, how: number, at: number): Uint8Array {
  const c = copy(b);
  if (c.length === 0) return new Uint8Array([how & 0xff]);
  switch (how % 4) {
    case 0:
      c[at % c.length]! ^= 1 << (at % 8);
      return c;
    case 1:
      return c.subarray(0, at % c.length);
    case 2:
      return Uint8Array.from([...c, at & 0xff]);
    default:
      return c.subarray(at % c.length);
  }
}

// ------------------------------------------------------------------ arbitraries per node
//
// Each node gives two arbitraries: `well` (values the schema accepts, or
// that only the handler can refuse: a key that does not exist, an
// algorithm the key does not have) and `malformed` (values the schema or
// the adapters should refuse). `mode` says how children mix them: 'well'
// keeps every child well-shaped, 'mixed' makes any child malformed now
// and then.

type Mode = 'well' | 'mixed';
interface NodeArbs {
  readonly well: Arb;
  readonly malformed: Arb;
}

const junk = (specific: readonly unknown[]): Arb =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...specific, ...GENERIC_JUNK) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 3, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withNullPrototype: true, withSet: true, withTypedArray: true, withSparseArray: true, withUnicodeString: true }) },
  );

/**
 * The pool's values for a field, copied when they are bytes (a handler may
 * wipe its input). A list field's pool may hold whole lists (used for the
 * list) and single values (used for its elements).
 */
function poolArb(hints: Hints, name: string | undefined, level: 'list' | 'value' = 'value'): Arb | undefined {
  const pool = (name !== undefined ? hints.pools?.[name] : undefined)?.filter((v) => Array.isArray(v) === (level === 'list'));
  if (!pool?.length) return undefined;
  return fc.constantFrom(...pool).map((v) => (v instanceof Uint8Array ? copy(v) : v));
}

const withPool = (pool: Arb | undefined, generated: Arb, poolWeight = 4): Arb =>
  pool ? fc.oneof({ weight: poolWeight, arbitrary: pool }, { weight: 1, arbitrary: generated }) : generated;

/** A field's well-shaped values: its pool (only the pool, for the fields `poolOnly` names) and generated ones. */
function wellValues(hints: Hints, name: string | undefined, generated: Arb, poolWeight = 4): Arb {
  const pool = poolArb(hints, name);
  return pool && name !== undefined && hints.poolOnly?.has(name) ? pool : withPool(pool, generated, poolWeight);
}

function stringArbs(schema: Schema, name: string | undefined, hints: Hints): NodeArbs {
  const c = checksOf(schema);
  const min = c.minLength ?? 0;
  const max = c.maxLength;
  const generated = c.patterns.length
    ? fc.stringMatching(c.patterns[0]!)
    : fc.oneof(
        fc.string({ minLength: min, maxLength: Math.min(max ?? 40, 40) }),
        fc.string({ minLength: min, maxLength: Math.min(max ?? 12, 12), unit: 'binary' }),
      );
  const bounds = [min > 0 ? 'k'.repeat(min) : '', ...(max !== undefined && max <= 1 << 20 ? ['k'.repeat(max)] : [])];
  const free = fc.oneof({ weight: 6, arbitrary: generated }, { weight: 1, arbitrary: fc.constantFrom(...bounds) });
  const malformed = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...EDGE_STRINGS, ...(min > 0 ? ['k'.repeat(min - 1)] : []), ...(max !== undefined ? ['k'.repeat(max + 1)] : [])) },
    { weight: 2, arbitrary: fc.string({ maxLength: 6, unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n)) }) },
    { weight: 1, arbitrary: fc.constantFrom(...HUGE_STRINGS) },
    { weight: 3, arbitrary: junk([]) },
  );
  return { well: wellValues(hints, name, free), malformed };
}

function numberArbs(schema: Schema, name: string | undefined, hints: Hints): NodeArbs {
  const c = checksOf(schema);
  const int = c.int ?? false;
  const min = c.min ?? (int ? -1_000_000 : -1e6);
  const max = c.max ?? (int ? 1_000_000 : 1e6);
  const generated = int ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
  const well = fc.oneof({ weight: 4, arbitrary: generated }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
  const outside = [...(c.min !== undefined ? [c.min - 1, c.min - 0.5] : []), ...(c.max !== undefined ? [c.max + 1, c.max + 0.5] : [])];
  return { well: withPool(poolArb(hints, name), well, 1), malformed: junk([...outside, ...numberJunk]) };
}

function blobArbs(schema: Schema, name: string | undefined, hints: Hints): NodeArbs {
  const bounds = blobBounds(schema);
  const min = bounds?.min ?? 1;
  const max = bounds?.max ?? 4096;
  const random = fc.uint8Array({ minLength: min, maxLength: Math.min(max, 96) });
  const edges = [...new Set([min, max, Math.min(max, 32), Math.min(max, 64)])].filter((n) => n >= min && n <= max);
  const atEdges = fc.constantFrom(...edges).chain((n) => fc.integer({ min: 0, max: 255 }).map((fill) => new Uint8Array(n).fill(fill)));
  const pool = poolArb(hints, name);
  const generated = withPool(pool, fc.oneof({ weight: 4, arbitrary: random }, { weight: 1, arbitrary: atEdges }));
  const well = fc.oneof({ weight: 6, arbitrary: generated }, { weight: 1, arbitrary: generated.map((b) => (b instanceof Uint8Array ? offsetView(b) : b)) });
  const wrongLengths = [...new Set([0, min - 1, max + 1, max + 2])].filter((n) => n >= 0 && (n < min || n > max));
  // the most telling malformed blob: the right type, real bytes (a ciphertext, a signature) with a flipped bit or a cut
  const mutated = fc.tuple(pool ?? random, fc.nat(), fc.nat()).map(([b, how, at]) => (b instanceof Uint8Array ? mutateBlob(b, how, at) : b));
  const malformed = fc.oneof(
    { weight: 4, arbitrary: mutated },
    { weight: 2, arbitrary: fc.constantFrom(...wrongLengths).map((n) => new Uint8Array(n)) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('aGVsbG8=', 'not base64!', [1, 2, 3], { 0: 1, length: 1 }) },
    { weight: 2, arbitrary: junk([]) },
  );
  return { well, malformed };
}

function arrayArbs(schema: Schema, name: string | undefined, hints: Hints, mode: Mode): NodeArbs {
  const def = schema._zod.def as unknown as { element: Schema };
  const c = checksOf(schema);
  const min = c.minLength ?? 0;
  const well = fc.array(nodeArb(def.element, name, hints, mode), { minLength: min, maxLength: Math.max(min, Math.min(c.maxLength ?? 4, 4)) });
  const tooMany = c.maxLength !== undefined ? [Array.from({ length: c.maxLength + 1 }, () => 'x')] : [];
  const malformed = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom<unknown>([], sparseArray(5, 3, 'x'), sparseArray(1000, 999, 'x'), Array.from({ length: 5000 }, (_, i) => `item-${i}`), ...tooMany) },
    { weight: 2, arbitrary: fc.array(junk([]), { minLength: 1, maxLength: 3 }) },
    { weight: 2, arbitrary: junk([]) },
  );
  return { well: withPool(poolArb(hints, name, 'list'), well, 1), malformed };
}

function recordArbs(schema: Schema, name: string | undefined, hints: Hints, mode: Mode): NodeArbs {
  const def = schema._zod.def as unknown as { keyType: Schema; valueType: Schema };
  const key = fc.oneof({ weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(...EDGE_STRINGS.filter((s) => s.length < 100)) });
  const well = fc.dictionary(key, nodeArb(def.valueType, undefined, hints, mode), { maxKeys: 4, noNullPrototype: true });
  const many = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, `v${i}`]));
  const manyWrong = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]));
  const malformed = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom<unknown>(ownProto('x'), ownProto({ polluted: 'yes' }), { constructor: 'x' }, { prototype: 'x' }, { a: 1 }, { a: null }, { a: { b: 'c' } }, many, manyWrong, { [HUGE_STRINGS[0]!]: 1 }, { [HUGE_STRINGS[0]!]: 'v' }, Object.assign(Object.create(null) as object, { a: 'b' })) },
    { weight: 2, arbitrary: fc.dictionary(key, junk([]), { minKeys: 1, maxKeys: 2 }) },
    { weight: 1, arbitrary: junk([]) },
  );
  return { well: withPool(poolArb(hints, name), well, 2), malformed };
}

function dateArbs(name: string | undefined, hints: Hints): NodeArbs {
  const well = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
  return {
    well: withPool(poolArb(hints, name), well, 1),
    malformed: junk([new Date(NaN), new Date(8.64e15), new Date(-8.64e15), '2026-11-28T12:00:00Z', 'yesterday', 1_800_000_000, -1]),
  };
}

/** Extra members an object may carry: unknown names, prototype names, near-miss spellings of its fields. */
function extraMembers(fieldNames: readonly string[]): fc.Arbitrary<[string, unknown][]> {
  const nearMisses = fieldNames.flatMap((f) => [f.toLowerCase(), `${f} `, f.toUpperCase()]).filter((f) => !fieldNames.includes(f));
  const names = fc.constantFrom('Extra', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ...nearMisses);
  return fc.array(fc.tuple(names, fc.oneof(fc.string({ maxLength: 8 }), junk([]))), { minLength: 1, maxLength: 2 });
}

/** Sets members as own data properties, even `__proto__` (an assignment would change the prototype). */
function withMembers(target: Record<string, unknown>, members: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  for (const [k, v] of members) Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
  return target;
}

interface FieldSpec {
  readonly name: string;
  readonly schema: Schema;
  readonly optional: boolean;
}

const fieldsOf = (schema: Schema): FieldSpec[] =>
  Object.entries((schema._zod.def as unknown as { shape: Record<string, Schema> }).shape).map(([name, s]) => {
    const { inner, optional } = unwrap(s);
    return { name, schema: inner, optional };
  });

/**
 * The bundles worth starting from for these fields, weighted: those holding
 * every required field (else the most of them), the more of the other
 * fields they hold the likelier. A bundle for Sign holds a key, a message
 * and an algorithm; one for Encrypt a key and a plaintext.
 */
function relevantBundles(fields: readonly FieldSpec[], bundles: readonly Readonly<Record<string, unknown>>[]): { weight: number; arbitrary: fc.Arbitrary<Readonly<Record<string, unknown>>> }[] {
  const required = fields.filter((f) => !f.optional).map((f) => f.name);
  const names = fields.map((f) => f.name);
  const requiredIn = (b: Readonly<Record<string, unknown>>) => required.filter((n) => n in b).length;
  const most = Math.max(0, ...bundles.map(requiredIn));
  return bundles
    .map((b) => ({ b, covered: names.filter((n) => n in b).length }))
    .filter(({ b, covered }) => covered > 0 && requiredIn(b) === most)
    .map(({ b, covered }) => ({ weight: covered ** 3, arbitrary: fc.constant(b) }));
}

function objectArbs(schema: Schema, hints: Hints, mode: Mode, top: boolean): NodeArbs {
  const fields = fieldsOf(schema);
  const names = fields.map((f) => f.name);
  const fieldValues = fc.tuple(
    ...fields.map((f) =>
      // required fields are present 19 times in 20 (in 'mixed' mode), optional ones one time in three
      fc.tuple(f.optional ? fc.integer({ min: 0, max: 2 }).map((x) => x === 0) : mode === 'well' ? fc.constant(true) : fc.integer({ min: 0, max: 19 }).map((x) => x > 0), nodeArb(f.schema, f.name, hints, mode)),
    ),
  ) as fc.Arbitrary<[boolean, unknown][]>;
  const bundles = top ? relevantBundles(fields, hints.bundles ?? []) : [];
  // a bundle seeds most inputs; a field in it takes the bundle's value 6 times in 7
  const bundle: fc.Arbitrary<Readonly<Record<string, unknown>> | null> = bundles.length
    ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: fc.oneof(...bundles) })
    : fc.constant(null);
  const fromBundle = fc.array(fc.integer({ min: 0, max: 6 }).map((x) => x > 0), { minLength: names.length, maxLength: names.length });
  const extras = mode === 'well' ? fc.constant(null) : fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: extraMembers(names) });
  const well = fc.tuple(bundle, fromBundle, fieldValues, extras).map(([b, take, values, more]) => {
    const out: Record<string, unknown> = {};
    values.forEach(([present, value], i) => {
      const n = names[i]!;
      if (b && take[i] && n in b) {
        if (b[n] !== undefined) out[n] = b[n] instanceof Uint8Array ? copy(b[n] as Uint8Array) : b[n];
      } else if (present) out[n] = value;
    });
    return more ? withMembers(out, more) : out;
  });
  return { well, malformed: junk(top ? ['{}', [{}], 'KeyId=x'] : [[], 'x']) };
}

function nodeArbs(schema: Schema, name: string | undefined, hints: Hints, mode: Mode): NodeArbs {
  const { inner, meta } = unwrap(schema);
  if (meta.blob) return blobArbs(inner, name, hints);
  const def = inner._zod.def as unknown as { type: string; entries?: Record<string, unknown>; values?: unknown[] };
  switch (def.type) {
    case 'object':
      return objectArbs(inner, hints, mode, false);
    case 'string':
      return stringArbs(inner, name, hints);
    case 'number':
    case 'int':
      return numberArbs(inner, name, hints);
    case 'boolean':
      // (malformed never means true or false: a poolOnly flag such as BypassPolicyLockoutSafetyCheck stays as the pool says)
      return { well: wellValues(hints, name, fc.boolean(), 3), malformed: junk(['true', 'false', 1, 0]).filter((v) => typeof v !== 'boolean') };
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      return { well: withPool(poolArb(hints, name), fc.constantFrom(...values), 1), malformed: junk(values.flatMap((v) => [String(v).toLowerCase(), ` ${String(v)}`])) };
    }
    case 'literal':
      return { well: fc.constantFrom(...(def.values ?? [])), malformed: junk((def.values ?? []).map((v) => `${String(v)} `)) };
    case 'date':
      return dateArbs(name, hints);
    case 'array':
      return arrayArbs(inner, name, hints, mode);
    case 'record':
      return recordArbs(inner, name, hints, mode);
    default:
      return { well: withPool(poolArb(hints, name), junk([]), 2), malformed: junk([]) };
  }
}

/** One node's arbitrary: well-shaped only, or (mode 'mixed') malformed one time in nine. */
function nodeArb(schema: Schema, name: string | undefined, hints: Hints, mode: Mode): Arb {
  const { well, malformed } = nodeArbs(schema, name, hints, mode);
  return mode === 'well' ? well : fc.oneof({ weight: 8, arbitrary: well }, { weight: 1, arbitrary: malformed });
}

/** Inputs that are well-shaped throughout (often from a bundle): what a careful caller would send. */
export function wellInputArbitrary(schema: Schema, hints: Hints = {}): fc.Arbitrary<unknown> {
  const { inner } = unwrap(schema);
  if ((inner._zod.def as { type: string }).type !== 'object') return nodeArb(schema, undefined, hints, 'well');
  return objectArbs(inner, hints, 'well', true).well;
}

/**
 * Inputs for an operation whose input schema is `schema`, in three kinds:
 * well-shaped throughout (the handler runs: results and the errors only it
 * can give), well-shaped but for exactly one member (the sharpest test of
 * each refusal), and malformed anywhere (or not an object at all).
 */
export function inputArbitrary(schema: Schema, hints: Hints = {}): fc.Arbitrary<unknown> {
  const { inner } = unwrap(schema);
  if ((inner._zod.def as { type: string }).type !== 'object') return nodeArb(schema, undefined, hints, 'mixed');
  const fields = fieldsOf(inner);
  const well = objectArbs(inner, hints, 'well', true).well;
  const oneBad: Arb = fields.length
    ? fc
        .tuple(well, fc.integer({ min: 0, max: fields.length }), fc.constantFrom(...fields).chain((f) => nodeArbs(f.schema, f.name, hints, 'well').malformed.map((v) => [f.name, v] as const)), extraMembers(fields.map((f) => f.name)))
        .map(([input, which, [name, bad], extra]) => {
          const out = { ...(input as Record<string, unknown>) };
          // one in (fields + 1): an extra member instead of a malformed field
          if (which === fields.length) return withMembers(out, extra.slice(0, 1));
          return withMembers(out, [[name, bad]]);
        })
    : fc.tuple(well, extraMembers([])).map(([input, extra]) => withMembers({ ...(input as Record<string, unknown>) }, extra));
  const { well: mixed, malformed } = objectArbs(inner, hints, 'mixed', true);
  return fc.oneof(
    { weight: 5, arbitrary: well },
    { weight: 4, arbitrary: oneBad },
    { weight: 2, arbitrary: mixed },
    { weight: 1, arbitrary: malformed },
  );
}
