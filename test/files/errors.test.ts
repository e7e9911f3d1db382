// The clear errors: paths (same file as source and destination, by any
// name; a directory; a missing directory or input), keys (missing,
// disabled, pending deletion, not the caller's to use, not the file's), the
// encryption context, inputs that are not Strongroom files; cancellation;
// and that nothing is ever half-written and the data key is zeroed.
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptFile } from '../../main/files/decrypt-file.js';
import { encryptFile, type KmsService } from '../../main/files/encrypt-file.js';
import { FORMAT_VERSION, MAGIC } from '../../main/files/format.js';
import { collector, failsWith, fixture, invalid, listDir, pattern, S, unique, type Fixture } from './helpers.js';

let f: Fixture;
let plainPath: string;
let sealedPath: string;
const plaintext = pattern(5 * S + 3, 21);
beforeAll(async () => {
  f = await fixture();
  plainPath = f.path('plain.bin');
  sealedPath = f.path('plain.bin.sr');
  await writeFile(plainPath, plaintext);
  await f.encrypt({ InPath: plainPath, OutPath: sealedPath, SegmentSize: S });
});
afterAll(() => f.close());

const temps = async () => (await listDir(f.dir)).filter((n) => n.endsWith('.tmp'));
const newKey = async (description: string) => (await f.t.call('CreateKey', { Description: description })).KeyMetadata as { KeyId: string; Arn: string };

describe('source and destination', () => {
  it('refuses the source as destination: same path, relative path, symlink, hard link', async () => {
    const rel = relative(process.cwd(), plainPath);
    const sym = f.path(unique('sym'));
    const hard = f.path(unique('hard'));
    await symlink(plainPath, sym);
    await link(plainPath, hard);
    for (const out of [plainPath, rel, sym, hard, join(f.dir, '.', basename(plainPath))]) {
      const e = await failsWith(f.encrypt({ InPath: plainPath, OutPath: out }), 'ValidationException');
      expect(e.message).toMatch(/is the source file/);
    }
    await failsWith(f.decrypt({ InPath: sealedPath, OutPath: sealedPath }), 'ValidationException');
    await failsWith(f.encrypt({ InPath: sym, OutPath: plainPath }), 'ValidationException');
    expect((await readFile(plainPath)).equals(plaintext)).toBe(true);
    expect(await temps()).toEqual([]);
  });

  it('refuses a directory, a missing directory, a missing input, and an incomplete request', async () => {
    const sub = f.path(unique('dir'));
    await mkdir(sub);
    expect((await failsWith(f.encrypt({ InPath: plainPath, OutPath: sub }), 'ValidationException')).message).toMatch(/is a directory/);
    expect((await failsWith(f.encrypt({ InPath: sub, OutPath: f.path(unique('x')) }), 'ValidationException')).message).toMatch(/is a directory/);
    expect((await failsWith(f.encrypt({ InPath: plainPath, OutPath: join(sub, 'no', 'such', 'x') }), 'ValidationException')).message).toMatch(/does not exist/);
    expect((await failsWith(f.encrypt({ InPath: f.path('missing'), OutPath: f.path(unique('x')) }), 'ValidationException')).message).toMatch(/no such file/);
    await failsWith(f.encrypt({ OutPath: f.path(unique('x')) }), 'ValidationException');
    await failsWith(f.encrypt({ InPath: plainPath, Input: Readable.from([]), OutPath: f.path(unique('x')) }), 'ValidationException');
    await failsWith(f.encrypt({ InPath: plainPath }), 'ValidationException');
    await failsWith(f.encrypt({ InPath: plainPath, OutPath: f.path(unique('x')), KeyId: '' }), 'ValidationException');
    await failsWith(f.decrypt({ InPath: sealedPath }), 'ValidationException');
  });
});

describe('keys', () => {
  it('a key that does not exist: NotFoundException, nothing written', async () => {
    const out = f.path(unique('nf'));
    await failsWith(f.encrypt({ InPath: plainPath, OutPath: out, KeyId: '00000000-0000-4000-8000-000000000000' }), 'NotFoundException');
    await failsWith(f.encrypt({ InPath: plainPath, OutPath: out, KeyId: 'alias/no-such-alias' }), 'NotFoundException');
    expect(existsSync(out)).toBe(false);
    expect(await temps()).toEqual([]);
  });

  it('a disabled key: DisabledException for both directions, until it is enabled again', async () => {
    const key = await newKey('to disable');
    const sealed = f.path(unique('dis'));
    await f.encrypt({ InPath: plainPath, OutPath: sealed, KeyId: key.KeyId, SegmentSize: S });
    await f.t.call('DisableKey', { KeyId: key.KeyId });
    const out = f.path(unique('dis-out'));
    await failsWith(f.encrypt({ InPath: plainPath, OutPath: out, KeyId: key.KeyId }), 'DisabledException');
    await failsWith(f.decrypt({ InPath: sealed, OutPath: out }), 'DisabledException');
    expect(existsSync(out)).toBe(false);
    await f.t.call('EnableKey', { KeyId: key.KeyId });
    await f.decrypt({ InPath: sealed, OutPath: out });
    expect((await readFile(out)).equals(plaintext)).toBe(true);
  });

  it('a key pending deletion: KMSInvalidStateException', async () => {
    const key = await newKey('to delete');
    const sealed = f.path(unique('del'));
    await f.encrypt({ InPath: plainPath, OutPath: sealed, KeyId: key.KeyId });
    await f.t.call('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 });
    await failsWith(f.encrypt({ InPath: plainPath, OutPath: f.path(unique('x')), KeyId: key.KeyId }), 'KMSInvalidStateException');
    await failsWith(f.decrypt({ InPath: sealed, OutPath: f.path(unique('x')) }), 'KMSInvalidStateException');
  });

  it('a user with no permission on the key: AccessDeniedException', async () => {
    await f.t.call('CreateUser', { UserName: 'outsider' });
    await f.t.call('CreateLoginProfile', { UserName: 'outsider', Password: 'outsider passphrase 1' });
    const outsider = await f.t.vault.service.signIn({ userName: 'outsider', passphrase: 'outsider passphrase 1', region: 'local-1', source: 'sdk' });
    const out = f.path(unique('ad'));
    await failsWith(encryptFile(f.t.vault.service, outsider, { KeyId: f.key.KeyId, InPath: plainPath, OutPath: out }), 'AccessDeniedException');
    await failsWith(decryptFile(f.t.vault.service, outsider, { InPath: sealedPath, OutPath: out }), 'AccessDeniedException');
    expect(existsSync(out)).toBe(false);
  });

  it('KeyId on decrypt: the file\'s key passes (by id, ARN or alias), another key is IncorrectKeyException', async () => {
    await f.t.call('CreateAlias', { AliasName: 'alias/files-test', TargetKeyId: f.key.KeyId });
    for (const KeyId of [f.key.KeyId, f.key.Arn, 'alias/files-test']) {
      await f.decrypt({ InPath: sealedPath, OutPath: f.path(unique('k')), KeyId });
    }
    const otherKey = await newKey('other');
    await failsWith(f.decrypt({ InPath: sealedPath, OutPath: f.path(unique('k')), KeyId: otherKey.KeyId }), 'IncorrectKeyException');
    // and encryption through the alias records the key's ARN
    const r = await f.encrypt({ InPath: plainPath, OutPath: f.path(unique('a')), KeyId: 'alias/files-test' });
    expect(r.KeyId).toBe(f.key.Arn);
  });

  it('zeroes the plaintext data key once the file keys are derived', async () => {
    const seen: (Uint8Array | undefined)[] = [];
    const spy: KmsService = {
      async call(caller, op, input) {
        const r = await f.t.vault.service.call(caller, op, input);
        seen.push('Plaintext' in r && r.Plaintext instanceof Uint8Array ? r.Plaintext : undefined);
        return r;
      },
    };
    const c = f.path(unique('z'));
    await encryptFile(spy, f.t.admin, { KeyId: f.key.KeyId, InPath: plainPath, OutPath: c });
    await decryptFile(spy, f.t.admin, { InPath: c, OutPath: f.path(unique('z')) });
    expect(seen).toHaveLength(2);
    for (const k of seen) {
      expect(k?.length).toBe(32);
      expect(k?.every((b) => b === 0)).toBe(true);
    }
  });
});

describe('encryption context', () => {
  it('is bound to the file: a different one is InvalidCiphertextException, the same one or none decrypts', async () => {
    const ctx = { project: 'alpha', stage: 'prod' };
    const c = f.path(unique('ec'));
    await f.encrypt({ InPath: plainPath, OutPath: c, EncryptionContext: ctx });
    for (const wrong of [{ project: 'beta', stage: 'prod' }, { project: 'alpha' }, {}, { ...ctx, extra: 'x' }] as Record<string, string>[]) {
      const e = await invalid(f.decrypt({ InPath: c, OutPath: f.path(unique('ec')), EncryptionContext: wrong }));
      expect(e.message).toMatch(/encryption context/i);
    }
    await f.decrypt({ InPath: c, OutPath: f.path(unique('ec')), EncryptionContext: { stage: 'prod', project: 'alpha' } });
    const r = await f.decrypt({ InPath: c, OutPath: f.path(unique('ec')) });
    expect(r.EncryptionContext).toEqual(ctx);
    // a file made without one refuses one
    await invalid(f.decrypt({ InPath: sealedPath, OutPath: f.path(unique('ec')), EncryptionContext: { project: 'alpha' } }));
  });
});

describe('inputs that are not Strongroom files', () => {
  it('random bytes, text, an empty file, a KMS ciphertext blob, a short file', async () => {
    const blob = (await f.t.call('Encrypt', { KeyId: f.key.KeyId, Plaintext: Buffer.from('hello') })).CiphertextBlob as Uint8Array;
    for (const [name, bytes] of [
      ['random', pattern(1000, 77)],
      ['text', Buffer.from('Just a text file.\n'.repeat(10))],
      ['empty', Buffer.alloc(0)],
      ['blob', Buffer.from(blob)],
      ['short', MAGIC.subarray(0, 5)],
    ] as const) {
      const e = await invalid(f.open(bytes));
      expect(e.message, name).toMatch(/not a Strongroom encrypted file|too short to be a Strongroom/);
    }
  });

  it('a later format version says so', async () => {
    const sealed = await readFile(sealedPath);
    const future = Buffer.from(sealed);
    future[MAGIC.length] = FORMAT_VERSION + 1;
    expect((await invalid(f.open(future))).message).toMatch(/format version 2/);
  });
});

describe('cancellation and failures leave nothing behind', () => {
  it('aborting encryption mid-file removes the temporary file and keeps the old destination', async () => {
    const out = f.path(unique('abort'));
    await writeFile(out, 'old');
    const ac = new AbortController();
    let calls = 0;
    const e = await failsWith(
      f.encrypt({
        InPath: plainPath,
        OutPath: out,
        SegmentSize: S,
        signal: ac.signal,
        onProgress: (done) => {
          calls++;
          if (done >= 2 * S) ac.abort();
        },
      }),
      'AbortError',
    );
    expect(e).toBeInstanceOf(Error);
    expect(calls).toBe(3);
    expect(await readFile(out, 'utf8')).toBe('old');
    expect(await temps()).toEqual([]);
  });

  it('aborting decryption mid-file, and with a reason of the caller\'s own', async () => {
    const out = f.path(unique('abort'));
    const ac = new AbortController();
    const reason = new Error('user pressed Cancel');
    await expect(
      f.decrypt({ InPath: sealedPath, OutPath: out, signal: ac.signal, onProgress: (done) => done > 3 * S && ac.abort(reason) }),
    ).rejects.toBe(reason);
    expect(existsSync(out)).toBe(false);
    expect(await temps()).toEqual([]);
  });

  it('an already-aborted signal does nothing at all (no key use, no file)', async () => {
    const out = f.path(unique('abort'));
    let used = false;
    const spy: KmsService = {
      call: async () => {
        used = true;
        throw new Error('the service was called');
      },
    };
    await failsWith(encryptFile(spy, f.t.admin, { KeyId: f.key.KeyId, InPath: plainPath, OutPath: out, signal: AbortSignal.abort() }), 'AbortError');
    await failsWith(decryptFile(spy, f.t.admin, { InPath: sealedPath, OutPath: out, signal: AbortSignal.abort() }), 'AbortError');
    expect(used).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('an input stream that fails mid-way: the error surfaces, nothing is written', async () => {
    const out = f.path(unique('broken'));
    const broken = Readable.from(
      (async function* () {
        yield plaintext.subarray(0, 3 * S);
        throw new Error('disk went away');
      })(),
    );
    await expect(f.encrypt({ Input: broken, OutPath: out, SegmentSize: S })).rejects.toThrow('disk went away');
    expect(existsSync(out)).toBe(false);
    expect(await temps()).toEqual([]);
  });

  it('an output stream that fails: the error surfaces', async () => {
    const { Writable } = await import('node:stream');
    const failing = new Writable({ write: (_c, _e, cb) => cb(new Error('pipe closed')) });
    failing.on('error', () => undefined);
    await expect(f.encrypt({ InPath: plainPath, Output: failing })).rejects.toThrow('pipe closed');
  });

  it('decrypt to a stream writes only authenticated segments: a damaged segment 2 stops before it', async () => {
    const sealed = await readFile(sealedPath);
    const damaged = Buffer.from(sealed);
    const h = sealed.readUInt32BE(9);
    damaged[h + 2 * (S + 16) + 10]! ^= 1;
    const out = collector();
    await invalid(f.decrypt({ Input: Readable.from([damaged]), Output: out.stream }), 2);
    expect(out.bytes().equals(plaintext.subarray(0, 2 * S))).toBe(true);
  });
});
