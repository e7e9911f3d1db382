// The repository's read cache: paths of parts, "known absent" as a hit,
// parts never run together (the old joined keys could not tell "a\0b"+"c"
// from "a"+"b\0c"; nested maps cannot confuse them).
import { describe, expect, it } from 'vitest';
import { MISS, ReadCache } from '../../main/store/read-cache.js';

describe('ReadCache', () => {
  it('returns what was set for exactly that path, and MISS for any other', () => {
    const c = new ReadCache<string>();
    c.set('v', 'acct', 'local-1', 'key-1');
    expect(c.get('acct', 'local-1', 'key-1')).toBe('v');
    expect(c.get('acct', 'local-1', 'key-2')).toBe(MISS);
    expect(c.get('acct', 'local-2', 'key-1')).toBe(MISS);
    expect(c.get('other', 'local-1', 'key-1')).toBe(MISS);
    expect(c.get('acct', 'local-1')).not.toBe('v');
  });

  it('caches "absent" as a hit, distinct from a miss', () => {
    const c = new ReadCache<string>();
    c.set(undefined, 'acct', 'gone');
    expect(c.get('acct', 'gone')).toBeUndefined();
    expect(c.get('acct', 'never-looked-up')).toBe(MISS);
  });

  it('keeps parts apart that a joined string would run together', () => {
    const c = new ReadCache<string>();
    c.set('first', 'a\0b', 'c');
    c.set('second', 'a', 'b\0c');
    expect(c.get('a\0b', 'c')).toBe('first');
    expect(c.get('a', 'b\0c')).toBe('second');
  });

  it('tells number parts from their text (material version 1 is not "1")', () => {
    const c = new ReadCache<string>();
    c.set('v1', 'acct', 'key', 1);
    expect(c.get('acct', 'key', 1)).toBe('v1');
    expect(c.get('acct', 'key', '1')).toBe(MISS);
  });

  it('forgets everything on clear', () => {
    const c = new ReadCache<string>();
    c.set('v', 'a', 'b');
    c.set(undefined, 'a', 'c');
    c.clear();
    expect(c.get('a', 'b')).toBe(MISS);
    expect(c.get('a', 'c')).toBe(MISS);
  });
});
