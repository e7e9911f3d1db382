// inSchemaOrder (main/api/member-order.ts): an output's members in its
// schema's order, through optional wrappers, lists and maps; values kept.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTRACT } from '../../main/api/index.js';
import { inSchemaOrder } from '../../main/api/member-order.js';

const Inner = z.object({ A: z.string(), B: z.number().optional() });
const Schema = z.object({
  First: z.string(),
  Nested: Inner.optional(),
  List: z.array(Inner),
  Map: z.record(z.string(), Inner),
  Last: z.boolean().nullable(),
});

describe('inSchemaOrder', () => {
  it('orders every object by its schema, through optional/nullable wrappers, lists and maps', () => {
    const value = { Last: null, Map: { k: { B: 2, A: 'x' } }, List: [{ B: 1, A: 'a' }, { A: 'b' }], Nested: { B: 3, A: 'n' }, First: 'f' };
    const out = inSchemaOrder(Schema, value) as typeof value;
    expect(Object.keys(out)).toEqual(['First', 'Nested', 'List', 'Map', 'Last']);
    expect(Object.keys(out.Nested)).toEqual(['A', 'B']);
    expect(out.List.map((e) => Object.keys(e))).toEqual([['A', 'B'], ['A']]);
    expect(Object.keys(out.Map['k']!)).toEqual(['A', 'B']);
    expect(out).toEqual(value);
  });

  it('keeps members the schema does not know after those it does, and own __proto__ members as members', () => {
    const value = JSON.parse('{"Extra":1,"__proto__":{"polluted":true},"A":"a"}') as Record<string, unknown>;
    const out = inSchemaOrder(Inner, value) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['A', 'Extra', '__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('leaves byte arrays, dates and class instances as the same objects', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const date = new Date(0);
    class Thing {
      B = 1;
      A = 'a';
    }
    const thing = new Thing();
    const out = inSchemaOrder(z.object({ Bytes: z.custom<Uint8Array>(), When: z.date(), Thing: Inner }), { Thing: thing, When: date, Bytes: bytes }) as Record<string, unknown>;
    expect(out['Bytes']).toBe(bytes);
    expect(out['When']).toBe(date);
    expect(out['Thing']).toBe(thing);
  });

  it('puts a KeyMetadata built in another order into AWS\'s', () => {
    const built = {
      KeyMetadata: { MultiRegion: false, KeySpec: 'HMAC_256', MacAlgorithms: ['HMAC_SHA_256'], KeyId: 'k', AWSAccountId: '111122223333', PendingDeletionWindowInDays: 7 },
    };
    const out = inSchemaOrder(CONTRACT.DescribeKey.output, built) as typeof built;
    expect(Object.keys(out.KeyMetadata)).toEqual(['AWSAccountId', 'KeyId', 'KeySpec', 'MultiRegion', 'PendingDeletionWindowInDays', 'MacAlgorithms']);
  });
});
