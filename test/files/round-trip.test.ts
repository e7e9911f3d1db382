// encryptFile/decryptFile round trips at the size edges (empty, 1 byte, one
// segment and ±1, several segments and +1), with files and streams, and the
// header's contents: the layout docs/file-format.md describes.
import { createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { lstat, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SEGMENT_SIZE,
  deriveKeys,
  encodeHeader,
  LABELS,
  MAGIC,
  MAX_SEGMENT_SIZE,
  MIN_SEGMENT_SIZE,
  parseHeader,
  segmentNonce,
  segments,
  TAG_LENGTH,
} from '../../main/files/format.js';
import { collector, failsWith, fixture, headerOf, listDir, pattern, S, SEALED, unique, type Fixture } from './helpers.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});
afterAll(() => f.close());

const SIZES: [string, number][] = [
  ['empty', 0],
  ['1 byte', 1],
  ['one segment - 1', S - 1],
  ['exactly one segment', S],
  ['one segment + 1', S + 1],
  ['three segments', 3 * S],
  ['three segments + 1', 3 * S + 1],
];

describe('round trips through files', () => {
  for (const [name, n] of SIZES) {
    it(`${name} (${n} bytes)`, async () => {
      const plaintext = pattern(n, n + 7);
      const sealed = await f.seal(plaintext);
      const segments = n === 0 ? 1 : Math.ceil(n / S);
      expect(sealed.length).toBe(headerOf(sealed) + n + segments * TAG_LENGTH);
      expect((await f.open(sealed)).equals(plaintext)).toBe(true);
    });
  }

  it('reports what it did, and the decryptor finds the key and context from the header', async () => {
    const plaintext = pattern(2 * S + 5);
    const p = f.path(unique('p'));
    const c = f.path(unique('c'));
    const q = f.path(unique('q'));
    await writeFile(p, plaintext);
    const ctx = { purpose: 'backup', 'ü': 'ß' };
    const enc = await f.encrypt({ InPath: p, OutPath: c, SegmentSize: S, EncryptionContext: ctx });
    expect(enc).toEqual({ KeyId: f.key.Arn, SegmentSize: S, Segments: 3, BytesRead: plaintext.length, BytesWritten: (await stat(c)).size });
    const dec = await f.decrypt({ InPath: c, OutPath: q });
    expect(dec).toEqual({ Format: 'strongroom', KeyId: f.key.Arn, EncryptionContext: ctx, SegmentSize: S, Segments: 3, BytesRead: enc.BytesWritten, BytesWritten: plaintext.length });
    expect((await readFile(q)).equals(plaintext)).toBe(true);
    expect((await stat(q)).mode & 0o777).toBe(0o600);
    expect((await stat(c)).mode & 0o777).toBe(0o600);
  });

  it('uses the default segment size, and takes any size from 64 KiB to 1 MiB', async () => {
    const plaintext = pattern(DEFAULT_SEGMENT_SIZE + 3);
    const sealed = await f.seal(plaintext, { SegmentSize: undefined });
    expect(parseHeader(sealed.subarray(0, headerOf(sealed))).segmentSize).toBe(DEFAULT_SEGMENT_SIZE);
    expect((await f.open(sealed)).equals(plaintext)).toBe(true);
    for (const size of [MIN_SEGMENT_SIZE + 1, 300_000, MAX_SEGMENT_SIZE]) {
      const pt = pattern(size * 2 + 1, size);
      const s = await f.seal(pt, { SegmentSize: size });
      expect((await f.open(s)).equals(pt)).toBe(true);
    }
    for (const bad of [MIN_SEGMENT_SIZE - 1, MAX_SEGMENT_SIZE + 1, 1.5 * MIN_SEGMENT_SIZE + 0.5, 0]) {
      await failsWith(f.seal(pt1, { SegmentSize: bad }), 'ValidationException');
    }
  });

  it('encrypts the same file differently every time', async () => {
    const plaintext = pattern(S + 100);
    const a = await f.seal(plaintext);
    const b = await f.seal(plaintext);
    expect(a.length).toBe(b.length);
    expect(a.equals(b)).toBe(false);
    // fresh data key, salt and nonce prefix: no segment repeats either
    const ha = headerOf(a);
    const hb = headerOf(b);
    expect(a.subarray(ha, ha + 64).equals(b.subarray(hb, hb + 64))).toBe(false);
  });

  it('replaces an existing destination atomically and leaves no temporary file', async () => {
    const p = f.path(unique('p'));
    const c = f.path(unique('c'));
    await writeFile(p, 'new contents');
    await writeFile(c, 'old contents');
    await f.encrypt({ InPath: p, OutPath: c });
    await f.decrypt({ InPath: c, OutPath: p });
    expect(await readFile(p, 'utf8')).toBe('new contents');
    expect((await listDir(f.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('special sources and destinations', () => {
  it('a symlink as destination is written through: the link stays, its target gets the output', async () => {
    const target = f.path(unique('target'));
    const link = f.path(unique('link'));
    await writeFile(target, 'old');
    await symlink(target, link);
    const p = f.path(unique('p'));
    await writeFile(p, 'through the link');
    await f.encrypt({ InPath: p, OutPath: link });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    await f.decrypt({ InPath: target, OutPath: f.path('via-link.out') });
    expect(await readFile(f.path('via-link.out'), 'utf8')).toBe('through the link');
  });

  it('a destination name of 250 bytes (the temporary file\'s name is cut to fit)', async () => {
    const p = f.path(unique('p'));
    await writeFile(p, 'long name');
    const out = f.path('ä'.repeat(125));
    await f.encrypt({ InPath: p, OutPath: out });
    await f.decrypt({ InPath: out, OutPath: p + '.back' });
    expect(await readFile(p + '.back', 'utf8')).toBe('long name');
  });

  it('a device as destination is written directly (/dev/null)', async () => {
    const p = f.path(unique('p'));
    await writeFile(p, pattern(S + 1));
    const r = await f.encrypt({ InPath: p, OutPath: '/dev/null', SegmentSize: S });
    expect(r.Segments).toBe(2);
  });

  it('named pipes as source and destination (POSIX FIFOs; the tests run on Linux)', async () => {
    const plaintext = pattern(2 * S + 9, 4);
    const inFifo = f.path(unique('in.fifo'));
    const outFifo = f.path(unique('out.fifo'));
    execFileSync('mkfifo', [inFifo, outFifo]);
    const c = f.path(unique('c'));
    const feeding = new Promise<void>((res, rej) => createWriteStream(inFifo).on('error', rej).end(plaintext, res));
    await Promise.all([f.encrypt({ InPath: inFifo, OutPath: c, SegmentSize: S }), feeding]);
    const chunks: Buffer[] = [];
    const draining = new Promise<void>((res, rej) => createReadStream(outFifo).on('data', (b) => chunks.push(b as Buffer)).on('end', res).on('error', rej));
    await Promise.all([f.decrypt({ InPath: c, OutPath: outFifo }), draining]);
    expect(Buffer.concat(chunks).equals(plaintext)).toBe(true);
    expect((await lstat(outFifo)).isFIFO()).toBe(true);
  });
});

describe('round trips through streams', () => {
  for (const [name, n] of SIZES) {
    it(`${name}: Readable in, Writable out, in odd-sized chunks`, async () => {
      const plaintext = pattern(n, 3 * n + 1);
      const chunks = (b: Buffer) => Readable.from((function* () {
        for (let o = 0; o < b.length; o += 7777) yield b.subarray(o, o + 7777);
      })());
      const sealedOut = collector();
      await f.encrypt({ Input: chunks(plaintext), Output: sealedOut.stream, SegmentSize: S });
      const sealed = sealedOut.bytes();
      const plainOut = collector();
      const r = await f.decrypt({ Input: chunks(sealed), Output: plainOut.stream });
      expect(plainOut.bytes().equals(plaintext)).toBe(true);
      expect(r.BytesWritten).toBe(n);
      // and the stream-made file opens from a path too
      expect((await f.open(sealed)).equals(plaintext)).toBe(true);
    });
  }

  it('reports progress per segment, ending at the total', async () => {
    const plaintext = pattern(2 * S + 1);
    const p = f.path(unique('p'));
    const c = f.path(unique('c'));
    await writeFile(p, plaintext);
    const seen: [number, number | undefined][] = [];
    await f.encrypt({ InPath: p, OutPath: c, SegmentSize: S, onProgress: (d, t) => seen.push([d, t]) });
    expect(seen).toEqual([
      [0, plaintext.length],
      [S, plaintext.length],
      [2 * S, plaintext.length],
      [2 * S + 1, plaintext.length],
    ]);
    const size = (await stat(c)).size;
    const dseen: [number, number | undefined][] = [];
    await f.decrypt({ InPath: c, OutPath: f.path(unique('q')), onProgress: (d, t) => dseen.push([d, t]) });
    expect(dseen.at(-1)).toEqual([size, size]);
    expect(dseen.length).toBe(4);
    const streamed: (number | undefined)[] = [];
    await f.encrypt({ Input: Readable.from([plaintext]), Output: collector().stream, SegmentSize: S, onProgress: (_d, t) => streamed.push(t) });
    expect(streamed.every((t) => t === undefined)).toBe(true);
  });
});

describe('the test vector in docs/file-format.md', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/file-format.md', import.meta.url)), 'utf8');
  const hexAfter = (label: string) => new RegExp(`${label}\\s+([0-9a-f]{64})`).exec(doc)?.[1] ?? '';
  const fileHex = /hex:\n\n```\n([0-9a-f\n]+)```/.exec(doc)?.[1]?.replace(/\n/g, '') ?? '';
  const seq = (start: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (start + i) & 0xff));
  const dataKey = seq(0x00, 32);
  const salt = seq(0x20, 32);
  const prefix = seq(0x40, 7);
  const plaintext = Buffer.from('Hello, Strongroom!\n');

  it('is what this implementation produces', () => {
    const keys = deriveKeys(dataKey, salt);
    expect(keys.commitment.toString('hex')).toBe(hexAfter('commitment'));
    const header = encodeHeader(
      {
        segmentSize: 65536,
        salt,
        noncePrefix: prefix,
        keyArn: 'arn:strongroom:kms:local-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        encryptedDataKey: Buffer.alloc(81, 0xee),
        encryptionContext: { purpose: 'example' },
      },
      keys,
    );
    expect(header.mac.toString('hex')).toBe(hexAfter('header MAC'));
    const file = Buffer.concat([header.bytes, ...segments(header, keys.segmentKey).seal(0, true, plaintext)]);
    expect(fileHex.length).toBe(2 * (315 + 19 + 16));
    expect(file.toString('hex')).toBe(fileHex);
  });

  it('opens with nothing but node:crypto and the document', () => {
    const file = Buffer.from(fileHex, 'hex');
    const H = file.readUInt32BE(9);
    const hkdf = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, salt, info, 32));
    expect(hkdf('strongroom-file v1 segment key').toString('hex')).toBe(hexAfter('segment key'));
    expect(hkdf('strongroom-file v1 header mac key').toString('hex')).toBe(hexAfter('mac key'));
    const mac = createHmac('sha256', hkdf('strongroom-file v1 header mac key')).update(file.subarray(0, H - 32)).digest();
    expect(mac.equals(file.subarray(H - 32, H))).toBe(true);
    const d = createDecipheriv('aes-256-gcm', hkdf('strongroom-file v1 segment key'), Buffer.concat([prefix, Buffer.alloc(4), Buffer.of(1)]));
    d.setAAD(mac);
    d.setAuthTag(file.subarray(file.length - 16));
    expect(Buffer.concat([d.update(file.subarray(H, file.length - 16)), d.final()]).equals(plaintext)).toBe(true);
  });
});

describe('the format as docs/file-format.md describes it', () => {
  it('an independent decryptor written from the document opens the file', async () => {
    const plaintext = pattern(2 * S + 17, 99);
    const ctx = { department: 'finance' };
    const sealed = await f.seal(plaintext, { EncryptionContext: ctx });

    // header, parsed by hand
    expect(sealed.subarray(0, 8).equals(Buffer.from([0x89, 0x53, 0x52, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(sealed.subarray(0, 8).equals(MAGIC)).toBe(true);
    expect(sealed[8]).toBe(1);
    const H = sealed.readUInt32BE(9);
    let o = 13;
    const segSize = sealed.readUInt32BE(o);
    o += 4;
    const salt = sealed.subarray(o, (o += 32));
    const prefix = sealed.subarray(o, (o += 7));
    const arnLen = sealed.readUInt16BE(o);
    o += 2;
    const arn = sealed.subarray(o, (o += arnLen)).toString('utf8');
    const edkLen = sealed.readUInt16BE(o);
    o += 2;
    const edk = sealed.subarray(o, (o += edkLen));
    const ctxLen = sealed.readUInt32BE(o);
    o += 4;
    const ctxBytes = sealed.subarray(o, (o += ctxLen));
    const commitment = sealed.subarray(o, (o += 32));
    const mac = sealed.subarray(o, (o += 32));
    expect(o).toBe(H);
    expect(segSize).toBe(S);
    expect(arn).toBe(f.key.Arn);
    // canonical context: count, then (len, key, len, value) sorted by key
    expect(ctxBytes.equals(Buffer.concat([u32(1), u32(10), Buffer.from('department'), u32(7), Buffer.from('finance')]))).toBe(true);

    // the data key through the KMS Decrypt operation, as any client would
    const { Plaintext: dataKey, KeyId } = await f.t.call('Decrypt', { CiphertextBlob: edk, EncryptionContext: ctx });
    expect(KeyId).toBe(arn);
    const hkdf = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, salt, info, 32));
    expect(LABELS).toEqual({ segment: 'strongroom-file v1 segment key', mac: 'strongroom-file v1 header mac key', commitment: 'strongroom-file v1 key commitment' });
    expect(hkdf('strongroom-file v1 key commitment').equals(commitment)).toBe(true);
    expect(createHmac('sha256', hkdf('strongroom-file v1 header mac key')).update(sealed.subarray(0, H - 32)).digest().equals(mac)).toBe(true);

    // segments: AES-256-GCM, nonce = prefix ‖ uint32 index ‖ final flag, AAD = header MAC
    const segKey = hkdf('strongroom-file v1 segment key');
    const out: Buffer[] = [];
    const n = Math.ceil((sealed.length - H) / (segSize + 16));
    for (let i = 0; i < n; i++) {
      const seg = sealed.subarray(H + i * (segSize + 16), Math.min(sealed.length, H + (i + 1) * (segSize + 16)));
      const nonce = Buffer.concat([prefix, u32(i), Buffer.of(i === n - 1 ? 1 : 0)]);
      expect(nonce.equals(segmentNonce(prefix, i, i === n - 1))).toBe(true);
      const d = createDecipheriv('aes-256-gcm', segKey, nonce);
      d.setAAD(mac);
      d.setAuthTag(seg.subarray(seg.length - 16));
      out.push(d.update(seg.subarray(0, seg.length - 16)), d.final());
    }
    expect(Buffer.concat(out).equals(plaintext)).toBe(true);
    expect(n).toBe(3);
    expect(sealed.length - H).toBe(2 * SEALED + 17 + 16);
  });
});

const pt1 = Buffer.from('x');
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
