// Interoperability with the real `age` tool: a partner encrypts a 10 MiB
// file with `age -r <exported age1… recipient>` or `age -R <exported ssh-rsa
// key file>`, and decryptAgeFile (main/files/age-decrypt.ts) returns it byte
// for byte, with the private key staying in the vault. Plus the failures: a
// file for someone else, a truncated or altered file, a key that cannot
// decrypt age files — each leaving no output and no temporary file behind.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOperationName } from '../../main/api/index.js';
import { HANDLERS } from '../../main/core/operations/index.js';
import { decryptAgeFile, looksLikeAge } from '../../main/files/age-decrypt.js';
import { refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';
import { run, Scratch } from './tools.js';

let t: TestVault;
let s: Scratch;
let x25519: string;
let rsa2048: string;
let rsa4096: string;
let plain: string;
let data: Buffer;
const MiB = 1024 * 1024;

beforeAll(async () => {
  t = await makeVault();
  s = await Scratch.create('age');
  [x25519, rsa2048, rsa4096] = await Promise.all(
    ([
      ['ECC_X25519', 'KEY_AGREEMENT'],
      ['RSA_2048', 'ENCRYPT_DECRYPT'],
      ['RSA_4096', 'ENCRYPT_DECRYPT'],
    ] as const).map(async ([KeySpec, KeyUsage]) => (await t.call('CreateKey', { KeySpec, KeyUsage })).KeyMetadata.KeyId as string),
  ) as [string, string, string];
  data = randomBytes(10 * MiB);
  plain = await s.write('plain.bin', data);
}, 120_000);
afterAll(async () => {
  await t.close();
  await s.remove();
});

const decrypt = (KeyId: string, InPath: string, OutPath: string) => decryptAgeFile(t.vault.service, t.admin, { KeyId, InPath, OutPath });
const recipient = async (KeyId: string) => (await t.call('ExportPublicKey', { KeyId, Format: 'age' })).PublicKey as string;
const tempFilesLeft = async () => (await readdir(s.dir)).filter((f) => f.endsWith('.tmp'));

describe('age -r (X25519 recipient) → decryptAgeFile', () => {
  it('decrypts a 10 MiB file byte for byte', async () => {
    const r = (await recipient(x25519)).trim();
    expect(r).toMatch(/^age1/);
    await run('age', ['-r', r, '-o', s.path('x.age'), plain]);
    expect(looksLikeAge(await s.read('x.age'))).toBe(true);
    const out = await decrypt(x25519, s.path('x.age'), s.path('x.out'));
    expect(out).toMatchObject({ RecipientType: 'X25519', BytesWritten: 10 * MiB, KeyId: expect.stringContaining(x25519) });
    expect((await s.read('x.out')).equals(data)).toBe(true);
    expect(await tempFilesLeft()).toEqual([]);
  });

  it('decrypts an ASCII-armored file, and one with several recipients, and an empty file', async () => {
    const r = (await recipient(x25519)).trim();
    await writeFile(s.path('small.txt'), 'armored hello\n');
    await run('age', ['-a', '-r', r, '-o', s.path('a.age'), s.path('small.txt')]);
    expect((await s.read('a.age')).toString().startsWith('-----BEGIN AGE ENCRYPTED FILE-----')).toBe(true);
    await decrypt(x25519, s.path('a.age'), s.path('a.out'));
    expect((await s.read('a.out')).toString()).toBe('armored hello\n');

    const other = (await run('age-keygen', [])).stdout.toString().match(/public key: (age1\S+)/)![1]!;
    await run('age', ['-r', other, '-r', r, '-o', s.path('multi.age'), s.path('small.txt')]);
    await decrypt(x25519, s.path('multi.age'), s.path('multi.out'));
    expect((await s.read('multi.out')).toString()).toBe('armored hello\n');

    await writeFile(s.path('empty'), '');
    await run('age', ['-r', r, '-o', s.path('empty.age'), s.path('empty')]);
    expect((await decrypt(x25519, s.path('empty.age'), s.path('empty.out'))).BytesWritten).toBe(0);
    expect((await s.read('empty.out')).length).toBe(0);
  });
});

describe('age -R (ssh-rsa recipient file) → decryptAgeFile', () => {
  for (const [name, id] of [
    ['RSA_2048', () => rsa2048],
    ['RSA_4096', () => rsa4096],
  ] as const) {
    it(`${name}: decrypts a 10 MiB file byte for byte`, async () => {
      const keyFile = await s.write(`${name}.pub`, await recipient(id()));
      await run('age', ['-R', keyFile, '-o', s.path(`${name}.age`), plain]);
      const out = await decrypt(id(), s.path(`${name}.age`), s.path(`${name}.out`));
      expect(out).toMatchObject({ RecipientType: 'ssh-rsa', BytesWritten: 10 * MiB });
      expect((await s.read(`${name}.out`)).equals(data)).toBe(true);
    });
  }

  it('the ssh-rsa recipient file is also what `ssh-keygen`-style tooling reads, and age -r accepts the line', async () => {
    const line = (await recipient(rsa2048)).trim();
    await writeFile(s.path('small2.txt'), 'via -r');
    await run('age', ['-r', line, '-o', s.path('r.age'), s.path('small2.txt')]);
    await decrypt(rsa2048, s.path('r.age'), s.path('r.out'));
    expect((await s.read('r.out')).toString()).toBe('via -r');
  });
});

describe('failures leave nothing behind', () => {
  it('a file for another key is IncorrectKeyException, for X25519 and ssh-rsa keys', async () => {
    const r = (await recipient(x25519)).trim();
    await run('age', ['-r', r, '-o', s.path('forx.age'), s.path('small.txt')]);
    await refused(decrypt(rsa2048, s.path('forx.age'), s.path('nope.out')), 'IncorrectKeyException');
    const keyFile = await s.write('rsa2048.pub', await recipient(rsa2048));
    await run('age', ['-R', keyFile, '-o', s.path('forrsa.age'), s.path('small.txt')]);
    await refused(decrypt(x25519, s.path('forrsa.age'), s.path('nope.out')), 'IncorrectKeyException');
    await refused(decrypt(rsa4096, s.path('forrsa.age'), s.path('nope.out')), 'IncorrectKeyException');
    expect((await readdir(s.dir)).includes('nope.out')).toBe(false);
    expect(await tempFilesLeft()).toEqual([]);
  });

  it('a truncated or altered file is InvalidCiphertextException, and OutPath is untouched', async () => {
    const whole = await s.read('x.age');
    await writeFile(s.path('existing.out'), 'keep me');
    await writeFile(s.path('trunc.age'), whole.subarray(0, whole.length - 1000));
    await refused(decrypt(x25519, s.path('trunc.age'), s.path('existing.out')), 'InvalidCiphertextException');
    const altered = Buffer.from(whole);
    altered[altered.length - 5 * MiB]! ^= 1;
    await writeFile(s.path('alt.age'), altered);
    await refused(decrypt(x25519, s.path('alt.age'), s.path('existing.out')), 'InvalidCiphertextException');
    // a changed header fails its MAC
    const text = whole.toString('latin1');
    const macAt = text.indexOf('\n---') + 5;
    const badHeader = Buffer.from(whole);
    badHeader[macAt] = badHeader[macAt] === 0x41 ? 0x42 : 0x41;
    await writeFile(s.path('hdr.age'), badHeader);
    await refused(decrypt(x25519, s.path('hdr.age'), s.path('existing.out')), 'InvalidCiphertextException');
    expect(await readFile(s.path('existing.out'), 'utf8')).toBe('keep me');
    expect(await tempFilesLeft()).toEqual([]);
  });

  it('not an age file, a key that cannot decrypt age files, or InPath = OutPath are refused', async () => {
    await refused(decrypt(x25519, plain, s.path('z.out')), 'InvalidCiphertextException');
    const p256 = (await t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' })).KeyMetadata.KeyId;
    await refused(decrypt(p256, s.path('x.age'), s.path('z.out')), 'InvalidKeyUsageException');
    const rsaSig = (await t.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId;
    await refused(decrypt(rsaSig, s.path('x.age'), s.path('z.out')), 'InvalidKeyUsageException');
    await refused(decrypt(x25519, s.path('x.age'), s.path('x.age')), 'ValidationException');
    await t.call('DisableKey', { KeyId: x25519 });
    await refused(decrypt(x25519, s.path('x.age'), s.path('z.out')), 'DisabledException');
    await t.call('EnableKey', { KeyId: x25519 });
  });

  it('the internal ssh-rsa unwrap is not in the operation table', async () => {
    expect(isOperationName('DecryptAgeSshRsaStanza')).toBe(false);
    expect(Object.keys(HANDLERS)).not.toContain('DecryptAgeSshRsaStanza');
    await refused(t.dispatch('DecryptAgeSshRsaStanza', { KeyId: rsa2048, Body: Buffer.alloc(256) }), 'ValidationException');
  });
});
