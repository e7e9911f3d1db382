// decryptFile hands age files (age-encryption.org/v1, binary or armored) to
// decryptAgeFile with the vault key given as KeyId: a partner encrypts with
// `age -r <the key's exported age1… recipient>`, and the same command that
// opens Strongroom files opens theirs.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collector, failsWith, fixture, pattern, unique, type Fixture } from './helpers.js';

// `age` is a test dependency (README, .ci/run): without it this fails, it does not skip.
describe('age files through decryptFile', () => {
  let f: Fixture;
  let x25519: string;
  let agePath: string;
  const plaintext = pattern(200_000, 8);
  beforeAll(async () => {
    f = await fixture();
    x25519 = (await f.t.call('CreateKey', { KeySpec: 'ECC_X25519', KeyUsage: 'KEY_AGREEMENT' })).KeyMetadata.KeyId;
    const recipient = ((await f.t.call('ExportPublicKey', { KeyId: x25519, Format: 'age' })).PublicKey as string).trim();
    const p = f.path('plain');
    await writeFile(p, plaintext);
    agePath = f.path('plain.age');
    execFileSync('age', ['-r', recipient, '-o', agePath, p]);
  });
  afterAll(() => f?.close());

  it('decrypts with the key given', async () => {
    const out = f.path(unique('age-out'));
    const seen: number[] = [];
    const r = await f.decrypt({ InPath: agePath, OutPath: out, KeyId: x25519, onProgress: (d) => seen.push(d) });
    expect(r).toMatchObject({ Format: 'age', KeyId: expect.stringContaining(x25519), EncryptionContext: {}, BytesWritten: plaintext.length, Segments: 4 });
    expect((await readFile(out)).equals(plaintext)).toBe(true);
    expect(seen.at(-1)).toBe(r.BytesRead);
  });

  it('needs the key, a file path in and a file out, and no encryption context', async () => {
    expect((await failsWith(f.decrypt({ InPath: agePath, OutPath: f.path(unique('x')) }), 'ValidationException')).message).toMatch(/age file: give KeyId/);
    await failsWith(f.decrypt({ InPath: agePath, OutPath: f.path(unique('x')), KeyId: x25519, EncryptionContext: { a: 'b' } }), 'ValidationException');
    await failsWith(f.decrypt({ InPath: agePath, Output: collector().stream, KeyId: x25519 }), 'ValidationException');
    const e = await failsWith(f.decrypt({ Input: Readable.from([await readFile(agePath)]), Output: collector().stream, KeyId: x25519 }), 'ValidationException');
    expect(e.message).toMatch(/from a file path/);
  });

  it('an age file for another key is IncorrectKeyException', async () => {
    const other = (await f.t.call('CreateKey', { KeySpec: 'ECC_X25519', KeyUsage: 'KEY_AGREEMENT' })).KeyMetadata.KeyId;
    await failsWith(f.decrypt({ InPath: agePath, OutPath: f.path(unique('x')), KeyId: other }), 'IncorrectKeyException');
  });
});
