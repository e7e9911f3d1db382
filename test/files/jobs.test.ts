// The file-jobs API (main/files/file-jobs.ts) under the CLI's encrypt-file /
// decrypt-file and the desktop app: planning (directories expanded, output
// names, refusals before any key is used), jobs over several files in
// order, progress reported per file that never goes back, a failure that
// names its file, and cancellation that leaves no output and no temporary
// file and rejects with a named error.
import type { KmsService } from '../../main/files/encrypt-file.js';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptFileJob, encryptFileJob, planFileJob, type FileJobProgress, type FileJobTargets } from '../../main/files/file-jobs.js';
import { collector, failsWith, fixture, pattern, S, unique, type Fixture } from './helpers.js';

let f: Fixture;
/** a directory of three files (6 segments, 1 segment, empty) and one already ending in .sr */
let src: string;
const big = pattern(5 * S + 3, 7);
const small = pattern(100, 8);
const names = ['big.bin', 'empty', 'small.txt'];
beforeAll(async () => {
  f = await fixture();
  src = f.path('src');
  await mkdir(src);
  await writeFile(join(src, 'big.bin'), big);
  await writeFile(join(src, 'small.txt'), small);
  await writeFile(join(src, 'empty'), '');
  await writeFile(join(src, 'old.sr'), 'skipped when encrypting a directory');
});
afterAll(() => f.close());

const service = () => f.t.vault.service;
const temps = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.tmp'));
const encryptJob = async (targets: FileJobTargets, opts = {}) =>
  encryptFileJob(service(), f.t.admin, { Plan: await planFileJob('encrypt', targets), KeyId: f.key.KeyId, SegmentSize: S }, opts);
const decryptJob = async (targets: FileJobTargets, opts = {}) => decryptFileJob(service(), f.t.admin, { Plan: await planFileJob('decrypt', targets) }, opts);

/** Collects a job's progress events; byFile() checks that each file's BytesDone never decreases. */
function progressLog() {
  const events: FileJobProgress[] = [];
  return {
    events,
    onProgress: (p: FileJobProgress) => void events.push(p),
    byFile(): Map<number, FileJobProgress[]> {
      const by = new Map<number, FileJobProgress[]>();
      let current = 0;
      for (const e of events) {
        expect(e.FileIndex, 'files are reported in plan order').toBeGreaterThanOrEqual(current);
        current = e.FileIndex;
        const seen = by.get(e.FileIndex) ?? [];
        const before = seen[seen.length - 1];
        if (before) expect(e.BytesDone, `file ${e.FileIndex} went back`).toBeGreaterThanOrEqual(before.BytesDone);
        seen.push(e);
        by.set(e.FileIndex, seen);
      }
      return by;
    },
  };
}

describe('planFileJob', () => {
  it('expands a directory (sorted, not recursive; .sr files skipped when encrypting) and names the outputs in OutDir, which it makes private', async () => {
    await mkdir(join(src, 'sub'), { recursive: true });
    const out = f.path(unique('plan'));
    const plan = await planFileJob('encrypt', { In: [src], OutDir: out });
    expect(plan).toEqual({ direction: 'encrypt', files: names.map((n) => ({ in: join(src, n), out: join(out, `${n}.sr`) })) });
    expect((await stat(out)).mode & 0o777).toBe(0o700);
    // relative paths start at cwd; decrypting takes only .sr files and drops the extension
    const back = await planFileJob('decrypt', { In: ['src'], OutDir: 'opened', cwd: f.dir });
    expect(back.files).toEqual([{ in: join(src, 'old.sr'), out: f.path('opened/old') }]);
  });

  it('refuses what it cannot plan with ValidationException, before making anything', async () => {
    const empty = f.path(unique('empty-dir'));
    await mkdir(empty);
    const out = f.path(unique('never'));
    const refusals: [FileJobTargets, RegExp][] = [
      [{ In: [src], Out: out }, /^In .* is a directory: give OutDir to encrypt its files$/],
      [{ In: [empty], OutDir: out }, /^no files to encrypt in /],
      [{ In: [src, join(src, 'small.txt')], OutDir: out }, /small\.txt would both be written to .*small\.txt\.sr$/],
      [{ In: [Readable.from([])], OutDir: out }, /stream input needs Out/],
      [{ In: [join(src, 'big.bin'), join(src, 'small.txt')], Out: out }, /Several inputs need OutDir/],
      [{ In: [join(src, 'big.bin')] }, /exactly one of Out and OutDir/],
      [{ In: [join(src, 'big.bin')], Out: out, OutDir: out }, /exactly one of Out and OutDir/],
      [{ In: [], OutDir: out }, /In is required/],
    ];
    for (const [targets, message] of refusals) {
      expect((await failsWith(planFileJob('encrypt', targets), 'ValidationException')).message).toMatch(message);
    }
    const e = await failsWith(planFileJob('decrypt', { In: [join(src, 'small.txt')], OutDir: out }), 'ValidationException');
    expect(e.message).toMatch(/cannot name the output for .*small\.txt: it does not end in \.sr; decrypt it with Out$/);
    expect(existsSync(out)).toBe(false);
  });

  it('names the fields in its messages as the caller does (the CLI: its options)', async () => {
    const e = await failsWith(planFileJob('encrypt', { In: [src], Out: f.path('x') }, { In: '--in', Out: '--out PATH', OutDir: '--out-dir DIR' }), 'ValidationException');
    expect(e.message).toBe(`--in ${src} is a directory: give --out-dir DIR to encrypt its files`);
  });
});

describe('encryptFileJob and decryptFileJob', () => {
  it('run every planned file in order and report each one', async () => {
    const sealed = f.path(unique('sealed'));
    const enc = await encryptJob({ In: [src], OutDir: sealed });
    expect(enc.Files.map((r) => [r.InPath, r.OutPath, r.KeyId, r.Segments])).toEqual([
      [join(src, 'big.bin'), join(sealed, 'big.bin.sr'), f.key.Arn, 6],
      [join(src, 'empty'), join(sealed, 'empty.sr'), f.key.Arn, 1],
      [join(src, 'small.txt'), join(sealed, 'small.txt.sr'), f.key.Arn, 1],
    ]);
    const opened = f.path(unique('opened'));
    const dec = await decryptJob({ In: [sealed], OutDir: opened });
    expect(dec.Files.map((r) => [r.OutPath, r.Format, r.BytesWritten])).toEqual([
      [join(opened, 'big.bin'), 'strongroom', big.length],
      [join(opened, 'empty'), 'strongroom', 0],
      [join(opened, 'small.txt'), 'strongroom', small.length],
    ]);
    expect((await readFile(join(opened, 'big.bin'))).equals(big)).toBe(true);
    expect((await readFile(join(opened, 'small.txt'))).equals(small)).toBe(true);
  });

  it('refuse a plan made for the other direction', async () => {
    const out = f.path(unique('wrong-way'));
    const plan = await planFileJob('decrypt', { In: [join(src, 'old.sr')], Out: out });
    await failsWith(encryptFileJob(service(), f.t.admin, { Plan: plan, KeyId: f.key.KeyId }), 'ValidationException');
    expect(existsSync(out)).toBe(false);
  });

  it('with several files, a failure names the file and how many were done before it', async () => {
    const dir = f.path(unique('mixed'));
    await mkdir(dir);
    await encryptJob({ In: [join(src, 'small.txt')], Out: join(dir, 'a.sr') });
    await writeFile(join(dir, 'b.sr'), 'not an encrypted file');
    await encryptJob({ In: [join(src, 'small.txt')], Out: join(dir, 'c.sr') });
    const out = f.path(unique('mixed-out'));
    const e = await failsWith(decryptJob({ In: [dir], OutDir: out }), 'InvalidCiphertextException');
    expect(e.message).toMatch(/^The input is not a Strongroom encrypted file/);
    const suffix = ` (${join(dir, 'b.sr')}; 1 of 3 files done before it)`;
    expect(e.message.slice(-suffix.length)).toBe(suffix);
    expect((await readFile(join(out, 'a'))).equals(small)).toBe(true);
    expect(await readdir(out)).toEqual(['a']);
  });
});

describe('progress', () => {
  it('is reported for every file, from 0 to its size, and never goes back', async () => {
    const log = progressLog();
    const sealed = f.path(unique('progress'));
    await encryptJob({ In: [src], OutDir: sealed }, { onProgress: log.onProgress });
    const by = log.byFile();
    expect([...by.keys()]).toEqual([0, 1, 2]);
    const sizes = [big.length, 0, small.length];
    for (const [i, events] of by) {
      expect(events.every((e) => e.FileCount === 3 && e.InPath === join(src, names[i]!) && e.BytesTotal === sizes[i])).toBe(true);
      expect(events[0]!.BytesDone).toBe(0);
      expect(events[events.length - 1]!.BytesDone).toBe(sizes[i]);
    }
    // the 6-segment file: a start and one event per segment
    expect(by.get(0)!.map((e) => e.BytesDone)).toEqual([0, S, 2 * S, 3 * S, 4 * S, 5 * S, big.length]);

    // decrypting counts encrypted bytes read, up to the encrypted file's size
    const dec = progressLog();
    await decryptJob({ In: [join(sealed, 'big.bin.sr')], Out: f.path(unique('progress-out')) }, { onProgress: dec.onProgress });
    const only = dec.byFile().get(0)!;
    const sealedSize = (await stat(join(sealed, 'big.bin.sr'))).size;
    expect(only.length).toBeGreaterThanOrEqual(7);
    expect(only[only.length - 1]).toEqual({ FileIndex: 0, FileCount: 1, InPath: join(sealed, 'big.bin.sr'), BytesDone: sealedSize, BytesTotal: sealedSize });
  });

  it('for a stream: no path and no total, still never going back', async () => {
    const log = progressLog();
    const sink = collector();
    const r = await encryptJob({ In: [Readable.from([big.subarray(0, 2 * S), big.subarray(2 * S)])], Out: sink.stream }, { onProgress: log.onProgress });
    const events = log.byFile().get(0)!;
    expect(events.every((e) => !('InPath' in e) && !('BytesTotal' in e))).toBe(true);
    expect(events[events.length - 1]!.BytesDone).toBe(big.length);
    expect(r.Files[0]).not.toHaveProperty('InPath');
    expect(r.Files[0]).not.toHaveProperty('OutPath');
    expect(sink.bytes().length).toBe(r.Files[0]!.BytesWritten);
  });
});

describe('cancellation', () => {
  it('aborted mid-file: no output, no temporary file, rejects with AbortError', async () => {
    const dir = f.path(unique('abort'));
    await mkdir(dir);
    const out = join(dir, 'big.sr');
    const ac = new AbortController();
    await failsWith(
      encryptJob({ In: [join(src, 'big.bin')], Out: out }, { signal: ac.signal, onProgress: (p: FileJobProgress) => p.BytesDone >= 2 * S && ac.abort() }),
      'AbortError',
    );
    expect(await readdir(dir)).toEqual([]);

    const sealed = join(dir, 'sealed.sr');
    await encryptJob({ In: [join(src, 'big.bin')], Out: sealed });
    const again = new AbortController();
    await failsWith(
      decryptJob({ In: [sealed], Out: join(dir, 'opened') }, { signal: again.signal, onProgress: (p: FileJobProgress) => p.BytesDone > 3 * S && again.abort() }),
      'AbortError',
    );
    expect(await readdir(dir)).toEqual(['sealed.sr']);
  });

  it('aborted in the second file: the first stays complete, nothing else is written, and the reason is the caller\'s', async () => {
    const out = f.path(unique('abort-many'));
    const ac = new AbortController();
    const reason = new Error('user pressed Cancel');
    await expect(
      encryptJob({ In: [join(src, 'small.txt'), join(src, 'big.bin')], OutDir: out }, { signal: ac.signal, onProgress: (p: FileJobProgress) => p.FileIndex === 1 && p.BytesDone >= S && ac.abort(reason) }),
    ).rejects.toBe(reason);
    expect(await readdir(out)).toEqual(['small.txt.sr']);
    expect(await temps(out)).toEqual([]);
    const back = await decryptJob({ In: [join(out, 'small.txt.sr')], Out: f.path(unique('first')) });
    expect(back.Files[0]!.BytesWritten).toBe(small.length);
  });

  it('an already-aborted signal starts nothing', async () => {
    const out = f.path(unique('abort-before'));
    let used = false;
    // never called: it throws, so a call would fail the test however the job handled it
    const spy: KmsService = {
      call: async () => {
        used = true;
        throw new Error('a job whose signal is already aborted called the service');
      },
    };
    const plan = await planFileJob('encrypt', { In: [src], OutDir: out });
    await failsWith(encryptFileJob(spy, f.t.admin, { Plan: plan, KeyId: f.key.KeyId }, { signal: AbortSignal.abort() }), 'AbortError');
    expect(used).toBe(false);
    expect(await readdir(out)).toEqual([]);
  });
});
