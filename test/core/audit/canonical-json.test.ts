// canonicalJson has a fast path of its own (core/audit/chain.ts); whatever
// it is given, it must write exactly what the canonicalize library writes,
// or throw where the library throws.
import canonicalizeModule from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../main/core/audit/chain.js';
import { sampleEvent } from './support.js';

const canonicalize = canonicalizeModule as unknown as (v: unknown) => string | undefined;

/** What the library does with a value: its text, or that it throws (and what). */
function library(v: unknown): { text: string } | { throws: string } {
  try {
    const text = canonicalize(v);
    return text === undefined ? { throws: 'TypeError' } : { text };
  } catch (e) {
    return { throws: (e as Error).constructor.name };
  }
}
function ours(v: unknown): { text: string } | { throws: string } {
  try {
    return { text: canonicalJson(v) };
  } catch (e) {
    return { throws: (e as Error).constructor.name };
  }
}

describe('canonicalJson', () => {
  it('agrees with the canonicalize library on JSON values (strings of every kind, keys in any order)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        expect(ours(v)).toEqual(library(v));
      }),
      { numRuns: 3000 },
    );
    const strings = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00', 'a', '€') }));
    fc.assert(
      fc.property(fc.dictionary(strings, fc.oneof(strings, fc.integer(), fc.double())), strings, (o, s) => {
        expect(ours(o)).toEqual(library(o));
        expect(ours(s)).toEqual(library(s));
        expect(ours([s, o])).toEqual(library([s, o]));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the library on values whose members are already in canonical order (written by JSON.stringify)', () => {
    /** the value with every object rebuilt with its keys in code-unit order (as buildEvent builds records), sometimes with undefined members */
    const ordered = (v: unknown, salt: number): unknown => {
      if (Array.isArray(v)) return v.map((x, i) => ordered(x, salt + i));
      if (typeof v !== 'object' || v === null) return v;
      const out: Record<string, unknown> = salt % 3 === 0 ? Object.create(null) : {};
      for (const k of Object.keys(v).sort()) out[k] = ordered((v as Record<string, unknown>)[k], salt + k.length);
      if (salt % 5 === 0) out['~absent'] = undefined;
      return out;
    };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.nat(), (v, salt) => {
        const o = ordered(v, salt);
        expect(ours(o)).toEqual(library(o));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the library on everything else too: odd values, holes, toJSON, integer-like keys', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true, maxDepth: 4 }), (v) => {
        expect(ours(v)).toEqual(library(v));
      }),
      { numRuns: 3000 },
    );
    const odd: unknown[] = [
      { b: 1, a: undefined, c: Symbol('s'), d: () => 1 },
      [undefined, Symbol('s'), () => 1],
      [1, , 3],
      [, 1],
      { '10': 1, '9': 2, '1': 3, a: 4, A: 5, '': 6 },
      { toJSON: () => ({ z: 1, a: 2 }) },
      { a: 1, b: { toJSON: () => 'x' } },
      { a: [1, undefined], b: 2 },
      { a: [1, () => 2], b: 2 },
      { a: 1, b: Symbol('s'), c: 3 },
      { a: 1, b: 2n },
      { a: new Date(0) },
      { a: Object.assign([1, 2], { toJSON: () => 'arr' }) },
      { '1': 'a', '2': 'b', x: 'c' },
      Object.assign(Object.create({ inherited: 'yes' }), { a: 1 }),
      { toJSON: 'not a function', a: 1 },
      new Date(0),
      Buffer.from('hi'),
      { n: NaN },
      { n: Infinity },
      { n: -0, m: 1e21, k: 5e-7, j: 0.1 + 0.2 },
      { big: 1n },
      Object.create(null),
      Object.assign(Object.create(null), { b: 1, a: 2 }),
      Object.assign(Object.create({ inherited: 1 }), { own: 2 }),
      new String('ab'),
      new Map([['a', 1]]),
      sampleEvent(1),
      sampleEvent(2, { error: true }),
    ];
    for (const v of odd) expect(ours(v)).toEqual(library(v));
  });
});
