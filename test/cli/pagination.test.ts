import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { paginate, pagingOf } from '../../main/cli/pagination.js';
import { operation } from '../../main/api/operation.js';

const ListThings = operation({
  name: 'ListThings',
  action: 'x:ListThings',
  summary: 'Lists things.',
  input: () => z.object({ Limit: z.number().int().optional(), Marker: z.string().optional() }).strict(),
  output: () => z.object({ Things: z.array(z.object({ Id: z.string() })), NextMarker: z.string().optional(), Truncated: z.boolean() }),
});

/** A service holding ids t0…t(n-1), paged by Limit (default 3) and Marker (an index). */
function service(n: number) {
  const calls: Record<string, unknown>[] = [];
  const call = async (input: Record<string, unknown>) => {
    calls.push(input);
    const start = input['Marker'] === undefined ? 0 : Number(input['Marker']);
    const limit = (input['Limit'] as number | undefined) ?? 3;
    const ids = Array.from({ length: n }, (_, i) => `t${i}`).slice(start, start + limit);
    const more = start + limit < n;
    return { Things: ids.map((Id) => ({ Id })), Truncated: more, ...(more ? { NextMarker: String(start + limit) } : {}) };
  };
  return { calls, call };
}

const ids = (r: Record<string, unknown>) => (r['Things'] as { Id: string }[]).map((t) => t.Id);

describe('auto-pagination', () => {
  test('detected from the schemas', () => {
    expect(pagingOf(ListThings)).toEqual({ resultKey: 'Things' });
  });

  test('fetches every page and merges them, dropping NextMarker and Truncated', async () => {
    const s = service(8);
    const r = await paginate({ resultKey: 'Things' }, {}, {}, s.call);
    expect(ids(r.full)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']);
    expect(Object.keys(r.full)).toEqual(['Things']);
    expect(s.calls).toEqual([{}, { Marker: '3' }, { Marker: '6' }]);
    expect(r.pages.map(ids)).toEqual([['t0', 't1', 't2'], ['t3', 't4', 't5'], ['t6', 't7']]);
  });

  test('--page-size sets Limit on every call', async () => {
    const s = service(5);
    await paginate({ resultKey: 'Things' }, {}, { pageSize: 2 }, s.call);
    expect(s.calls).toEqual([{ Limit: 2 }, { Limit: 2, Marker: '2' }, { Limit: 2, Marker: '4' }]);
  });

  test('--max-items stops early with a NextToken that --starting-token resumes from', async () => {
    const s = service(8);
    const first = await paginate({ resultKey: 'Things' }, {}, { maxItems: 4 }, s.call);
    expect(ids(first.full)).toEqual(['t0', 't1', 't2', 't3']);
    expect(first.full['NextToken']).toBe(first.nextToken);
    const second = await paginate({ resultKey: 'Things' }, {}, { maxItems: 3, startingToken: first.nextToken ?? '' }, s.call);
    expect(ids(second.full)).toEqual(['t4', 't5', 't6']);
    const third = await paginate({ resultKey: 'Things' }, {}, { startingToken: second.nextToken ?? '' }, s.call);
    expect(ids(third.full)).toEqual(['t7']);
    expect(third.nextToken).toBeUndefined();
  });

  test('--max-items at a page boundary', async () => {
    const s = service(6);
    const first = await paginate({ resultKey: 'Things' }, {}, { maxItems: 3 }, s.call);
    expect(ids(first.full)).toEqual(['t0', 't1', 't2']);
    const rest = await paginate({ resultKey: 'Things' }, {}, { startingToken: first.nextToken ?? '' }, s.call);
    expect(ids(rest.full)).toEqual(['t3', 't4', 't5']);
  });

  test('a bad --starting-token is a usage error', async () => {
    await expect(paginate({ resultKey: 'Things' }, {}, { startingToken: 'not-a-token' }, service(1).call)).rejects.toThrow(/--starting-token/);
  });
});
