// Every way an encrypted file can be damaged or forged fails with
// InvalidCiphertextException, naming the first bad segment where there is
// one, and leaves no output behind: truncation at and between segment
// boundaries, a dropped final segment, reordered, spliced, appended and
// flipped segments, any header byte changed, and the encrypted data key
// swapped for another file's; then a randomized search over flips, cuts,
// swaps and appends.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHeader } from '../../main/files/format.js';
import { fixture, headerOf, invalid, listDir, pattern, S, SEALED, segmentAt, unique, type Fixture } from './helpers.js';

let f: Fixture;
/** 3 full segments and a 1000-byte final one */
let plaintext: Buffer;
let sealed: Buffer;
/** another file under the same key, same size */
let other: Buffer;
let H: number;
beforeAll(async () => {
  f = await fixture();
  plaintext = pattern(3 * S + 1000, 11);
  sealed = await f.seal(plaintext);
  other = await f.seal(pattern(3 * S + 1000, 12));
  H = headerOf(sealed);
});
afterAll(() => f.close());

const seg = (b: Buffer, i: number) => b.subarray(...segmentAt(b, i));
const flip = (b: Buffer, at: number, bit = 0) => {
  const c = Buffer.from(b);
  c[at]! ^= 1 << bit;
  return c;
};

describe('truncation', () => {
  it('at each segment boundary: the first missing segment is named', async () => {
    for (const i of [1, 2, 3]) {
      const e = await invalid(f.open(sealed.subarray(0, H + i * SEALED)), i);
      expect(e.message).toMatch(/truncated/);
    }
  });

  it('inside a segment: that segment is named', async () => {
    await invalid(f.open(sealed.subarray(0, H + 2 * SEALED + 100)), 2);
    await invalid(f.open(sealed.subarray(0, H + 5)), 0);
    await invalid(f.open(sealed.subarray(0, sealed.length - 1)), 3);
    // fewer bytes than a tag, and exactly a tag, after full segments
    await invalid(f.open(sealed.subarray(0, H + SEALED + 15)), 1);
    await invalid(f.open(sealed.subarray(0, H + SEALED + 16)), 1);
  });

  it('dropping the final segment', async () => {
    await invalid(f.open(sealed.subarray(0, segmentAt(sealed, 3)[0])), 3);
  });

  it('the header alone, or part of it', async () => {
    const e = await invalid(f.open(sealed.subarray(0, H)), 0);
    expect(e.message).toMatch(/no segments/);
    await invalid(f.open(sealed.subarray(0, H - 1)));
    await invalid(f.open(sealed.subarray(0, 12)));
  });

  it('an empty file loses its only (empty) segment', async () => {
    const empty = await f.seal(Buffer.alloc(0));
    await invalid(f.open(empty.subarray(0, headerOf(empty))), 0);
    await invalid(f.open(empty.subarray(0, empty.length - 1)), 0);
  });
});

describe('reordering, splicing, extending', () => {
  it('two segments swapped: the first of them is named', async () => {
    const swapped = Buffer.concat([sealed.subarray(0, H), seg(sealed, 1), seg(sealed, 0), seg(sealed, 2), seg(sealed, 3)]);
    await invalid(f.open(swapped), 0);
    const late = Buffer.concat([sealed.subarray(0, H), seg(sealed, 0), seg(sealed, 2), seg(sealed, 1), seg(sealed, 3)]);
    await invalid(f.open(late), 1);
  });

  it('a segment of another file under the same key spliced in', async () => {
    const spliced = Buffer.concat([sealed.subarray(0, H), seg(sealed, 0), seg(other, 1), seg(sealed, 2), seg(sealed, 3)]);
    await invalid(f.open(spliced), 1);
  });

  it('a segment duplicated or dropped in the middle', async () => {
    await invalid(f.open(Buffer.concat([sealed.subarray(0, segmentAt(sealed, 2)[0]), seg(sealed, 1), sealed.subarray(segmentAt(sealed, 2)[0])])), 2);
    await invalid(f.open(Buffer.concat([sealed.subarray(0, segmentAt(sealed, 1)[0]), sealed.subarray(segmentAt(sealed, 2)[0])])), 1);
  });

  it('bytes or a segment appended after a full final segment: the segment after it is named', async () => {
    const full = await f.seal(pattern(3 * S, 13));
    const e = await invalid(f.open(Buffer.concat([full, Buffer.from('x')])), 3);
    expect(e.message).toMatch(/appended/);
    await invalid(f.open(Buffer.concat([full, seg(full, 0)])), 3);
    await invalid(f.open(Buffer.concat([full, seg(other, 3)])), 3);
  });

  it('bytes appended to a short final segment: that segment, as read, is named', async () => {
    await invalid(f.open(Buffer.concat([sealed, Buffer.from('x')])), 3);
    await invalid(f.open(Buffer.concat([sealed, seg(sealed, 0)])), 3);
    const one = await f.seal(pattern(100));
    await invalid(f.open(Buffer.concat([one, Buffer.alloc(16)])), 0);
  });
});

describe('flipped bits', () => {
  it('in a segment\'s ciphertext or tag: that segment is named', async () => {
    await invalid(f.open(flip(sealed, H + 5)), 0);
    await invalid(f.open(flip(sealed, H + SEALED + S / 2, 7)), 1);
    await invalid(f.open(flip(sealed, H + SEALED - 1)), 0); // tag
    await invalid(f.open(flip(sealed, sealed.length - 1)), 3);
  });

  it('in any header byte (one bit per byte, every byte)', async () => {
    for (let i = 0; i < H; i++) {
      const e = await invalid(f.open(flip(sealed, i, i % 8)));
      expect(e.message.length).toBeGreaterThan(20);
    }
  });

  it('the encrypted data key swapped for another file\'s (same key, same length)', async () => {
    const a = parseHeader(sealed.subarray(0, H));
    const b = parseHeader(other.subarray(0, headerOf(other)));
    expect(a.encryptedDataKey.length).toBe(b.encryptedDataKey.length);
    const at = sealed.subarray(0, H).indexOf(a.encryptedDataKey);
    const swapped = Buffer.from(sealed);
    b.encryptedDataKey.copy(swapped, at);
    const e = await invalid(f.open(swapped));
    expect(e.message).toMatch(/key commitment/);
    // the whole header of the other file on these segments: every segment is under another key
    await invalid(f.open(Buffer.concat([other.subarray(0, headerOf(other)), sealed.subarray(H)])), 0);
  });
});

describe('a failed decryption', () => {
  it('leaves no output file and no temporary file', async () => {
    const c = f.path(unique('c'));
    const p = f.path(unique('p'));
    await writeFile(c, flip(sealed, sealed.length - 100));
    await invalid(f.decrypt({ InPath: c, OutPath: p }), 3);
    expect(existsSync(p)).toBe(false);
    expect((await listDir(f.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves an existing destination untouched', async () => {
    const c = f.path(unique('c'));
    const p = f.path(unique('p'));
    await writeFile(c, sealed.subarray(0, sealed.length - 1));
    await writeFile(p, 'precious');
    await invalid(f.decrypt({ InPath: c, OutPath: p }), 3);
    expect(await readFile(p, 'utf8')).toBe('precious');
  });
});

describe('randomized damage', () => {
  /** A small file of 2 segments + 1 byte keeps each run fast. */
  let small: Buffer;
  let smallPlain: Buffer;
  beforeAll(async () => {
    smallPlain = pattern(2 * S + 1, 5);
    small = await f.seal(smallPlain);
  });

  type Damage =
    | { kind: 'flip'; at: number; bit: number }
    | { kind: 'cut'; at: number }
    | { kind: 'swap'; a: number; b: number; len: number }
    | { kind: 'append'; bytes: Uint8Array }
    | { kind: 'insert'; at: number; bytes: Uint8Array };

  const damage = (n: number): fc.Arbitrary<Damage[]> =>
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(n - 1), bit: fc.nat(7) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat(n - 1) }),
        fc.record({ kind: fc.constant('swap' as const), a: fc.nat(n - 1), b: fc.nat(n - 1), len: fc.integer({ min: 1, max: SEALED }) }),
        fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(n - 1), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
      ),
      { minLength: 1, maxLength: 3 },
    );

  const apply = (input: Buffer, ds: Damage[]): Buffer => {
    let b = Buffer.from(input);
    for (const d of ds) {
      if (d.kind === 'flip') {
        if (d.at < b.length) b[d.at]! ^= 1 << d.bit;
      } else if (d.kind === 'cut') b = b.subarray(0, Math.min(d.at, b.length));
      else if (d.kind === 'append') b = Buffer.concat([b, d.bytes]);
      else if (d.kind === 'insert') b = Buffer.concat([b.subarray(0, d.at), d.bytes, b.subarray(d.at)]);
      else {
        const [x, y] = d.a < d.b ? [d.a, d.b] : [d.b, d.a];
        const len = Math.min(d.len, y - x, b.length - y);
        if (len > 0) {
          const first = Buffer.from(b.subarray(x, x + len));
          b.copy(b, x, y, y + len);
          first.copy(b, y);
        }
      }
    }
    return b;
  };

  it('flips, cuts, swaps, inserts and appends always give InvalidCiphertextException and no output', async () => {
    await fc.assert(
      fc.asyncProperty(damage(small.length), async (ds) => {
        const damaged = apply(small, ds);
        fc.pre(!damaged.equals(small));
        const c = f.path(unique('fc'));
        const p = f.path(unique('fp'));
        await writeFile(c, damaged);
        await invalid(f.decrypt({ InPath: c, OutPath: p }));
        expect(existsSync(p)).toBe(false);
      }),
      { numRuns: 150 },
    );
    expect((await listDir(f.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect((await f.open(small)).equals(smallPlain)).toBe(true);
  });
});
