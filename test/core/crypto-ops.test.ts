// Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext),
// GenerateRandom: sizes, the EncryptionContext binding, KeyId checks, and
// tampering — any change to a ciphertext blob is InvalidCiphertextException,
// never plaintext.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_OVERHEAD } from '../../main/core/codecs/ciphertext-blob.js';
import { refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
let keyA: { KeyId: string; Arn: string };
let keyB: { KeyId: string; Arn: string };
beforeAll(async () => {
  t = await makeVault();
  keyA = (await t.call('CreateKey', { Description: 'A' })).KeyMetadata;
  keyB = (await t.call('CreateKey', { Description: 'B' })).KeyMetadata;
  await t.call('CreateAlias', { AliasName: 'alias/crypto-a', TargetKeyId: keyA.KeyId });
});
afterAll(() => t.close());

const MiB = 1024 * 1024;
const encrypt = async (KeyId: string, plaintext: Uint8Array, EncryptionContext?: Record<string, string>): Promise<Buffer> =>
  Buffer.from((await t.call('Encrypt', { KeyId, Plaintext: plaintext, ...(EncryptionContext ? { EncryptionContext } : {}) })).CiphertextBlob);
const decrypt = async (CiphertextBlob: Uint8Array, extra: object = {}): Promise<Buffer> =>
  Buffer.from((await t.call('Decrypt', { CiphertextBlob, ...extra })).Plaintext);

describe('Encrypt and Decrypt', () => {
  it('round-trips 1 byte and reports the key ARN and algorithm', async () => {
    const enc = await t.call('Encrypt', { KeyId: keyA.KeyId, Plaintext: Buffer.from([0x2a]) });
    expect(enc.KeyId).toBe(keyA.Arn);
    expect(enc.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(enc.CiphertextBlob).toBeInstanceOf(Uint8Array);
    expect(enc.CiphertextBlob.length).toBe(1 + BLOB_OVERHEAD);
    const dec = await t.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
    expect(dec).toEqual({ KeyId: keyA.Arn, Plaintext: Buffer.from([0x2a]), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('round-trips exactly 4 MiB', async () => {
    const plaintext = Buffer.alloc(4 * MiB);
    for (let i = 0; i < plaintext.length; i += 4096) plaintext.writeUInt32BE(i, i);
    const blob = await encrypt(keyA.KeyId, plaintext);
    expect(blob.length).toBe(4 * MiB + BLOB_OVERHEAD);
    expect((await decrypt(blob)).equals(plaintext)).toBe(true);
  });

  it('refuses 0 bytes and 4 MiB + 1 with ValidationException', async () => {
    await refused(t.call('Encrypt', { KeyId: keyA.KeyId, Plaintext: Buffer.alloc(0) }), 'ValidationException');
    await refused(t.call('Encrypt', { KeyId: keyA.KeyId, Plaintext: Buffer.alloc(4 * MiB + 1) }), 'ValidationException');
  });

  it('takes blobs that are views into larger buffers, and plain Uint8Arrays', async () => {
    const plaintext = new Uint8Array([1, 2, 3, 4]);
    const blob = await encrypt(keyA.KeyId, plaintext);
    const big = new Uint8Array(blob.length + 64).fill(0xee);
    big.set(blob, 32);
    const view = big.subarray(32, 32 + blob.length);
    expect((await decrypt(view)).equals(Buffer.from(plaintext))).toBe(true);
    const plainView = new Uint8Array(new Uint8Array([9, 9, 5, 6, 9]).buffer, 2, 2);
    expect((await decrypt(await encrypt(keyA.KeyId, plainView))).equals(Buffer.from([5, 6]))).toBe(true);
  });

  it('encrypts the same plaintext differently each time (fresh nonce)', async () => {
    const p = Buffer.from('same');
    const a = await encrypt(keyA.KeyId, p);
    const b = await encrypt(keyA.KeyId, p);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(21, 33).equals(b.subarray(21, 33))).toBe(false);
  });

  it('accepts the key as id, ARN, alias and alias ARN', async () => {
    for (const ref of [keyA.KeyId, keyA.Arn, 'alias/crypto-a', `arn:strongroom:kms:local-1:${t.admin.account}:alias/crypto-a`]) {
      const blob = await encrypt(ref, Buffer.from(ref));
      expect((await decrypt(blob)).toString()).toBe(ref);
    }
  });

  it('refuses an EncryptionAlgorithm that does not exist', async () => {
    await refused(t.dispatch('Encrypt', { KeyId: keyA.KeyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'NOT_AN_ALGORITHM' }), 'ValidationException');
  });

  it('Encrypt under an unknown key is NotFoundException', async () => {
    await refused(t.call('Encrypt', { KeyId: 'alias/nope', Plaintext: Buffer.from('x') }), 'NotFoundException');
  });
});

describe('EncryptionContext is bound to the ciphertext', () => {
  const ctx = { purpose: 'backup', tenant: 'acme' };
  let blob: Buffer;
  beforeAll(async () => {
    blob = await encrypt(keyA.KeyId, Buffer.from('bound'), ctx);
  });

  it('the same pairs, in any order, decrypt', async () => {
    expect((await decrypt(blob, { EncryptionContext: ctx })).toString()).toBe('bound');
    expect((await decrypt(blob, { EncryptionContext: { tenant: 'acme', purpose: 'backup' } })).toString()).toBe('bound');
  });

  it.each([
    ['missing', undefined],
    ['empty', {}],
    ['a different value', { purpose: 'backup', tenant: 'other' }],
    ['a different key', { purpose: 'backup', Tenant: 'acme' }],
    ['a pair missing', { purpose: 'backup' }],
    ['an extra pair', { ...ctx, extra: '' }],
    ['keys and values swapped', { backup: 'purpose', acme: 'tenant' }],
    ['the pairs run together', { purposebackup: '', tenantacme: '' }],
  ])('%s → InvalidCiphertextException', async (_why, EncryptionContext) => {
    await refused(t.call('Decrypt', { CiphertextBlob: blob, ...(EncryptionContext ? { EncryptionContext } : {}) }), 'InvalidCiphertextException');
  });

  it('a ciphertext made without a context refuses one at decrypt', async () => {
    const plain = await encrypt(keyA.KeyId, Buffer.from('no context'));
    expect((await decrypt(plain, { EncryptionContext: {} })).toString()).toBe('no context');
    await refused(t.call('Decrypt', { CiphertextBlob: plain, EncryptionContext: { a: 'b' } }), 'InvalidCiphertextException');
  });

  it('binds unusual keys exactly: "__proto__" is refused rather than silently dropped', async () => {
    const withProto = JSON.parse('{"__proto__": "x", "a": "b"}') as Record<string, string>;
    await refused(t.call('Encrypt', { KeyId: keyA.KeyId, Plaintext: Buffer.from('p'), EncryptionContext: withProto }), 'ValidationException');
    const unicode = { 'clé': 'välue', '': 'empty key', constructor: 'c', toString: 't' };
    const b = await encrypt(keyA.KeyId, Buffer.from('u'), unicode);
    expect((await decrypt(b, { EncryptionContext: { ...unicode } })).toString()).toBe('u');
    await refused(t.call('Decrypt', { CiphertextBlob: b, EncryptionContext: { 'clé': 'välue', '': 'empty key', constructor: 'c' } }), 'InvalidCiphertextException');
  });

  it('a non-string value is a ValidationException', async () => {
    await refused(t.dispatch('Encrypt', { KeyId: keyA.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: { n: 1 } }), 'ValidationException');
    await refused(t.dispatch('Encrypt', { KeyId: keyA.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: 'a=b' }), 'ValidationException');
  });
});

describe('Decrypt with KeyId', () => {
  it('succeeds when KeyId names the key of the ciphertext (id, ARN, alias)', async () => {
    const blob = await encrypt(keyA.KeyId, Buffer.from('k'));
    for (const KeyId of [keyA.KeyId, keyA.Arn, 'alias/crypto-a']) expect((await decrypt(blob, { KeyId })).toString()).toBe('k');
  });

  it('another key is IncorrectKeyException; an unknown one NotFoundException', async () => {
    const blob = await encrypt(keyA.KeyId, Buffer.from('k'));
    await refused(t.call('Decrypt', { CiphertextBlob: blob, KeyId: keyB.KeyId }), 'IncorrectKeyException');
    await refused(t.call('Decrypt', { CiphertextBlob: blob, KeyId: keyB.Arn }), 'IncorrectKeyException');
    await refused(t.call('Decrypt', { CiphertextBlob: blob, KeyId: '00000000-0000-4000-8000-000000000000' }), 'NotFoundException');
  });
});

describe('ReEncrypt', () => {
  it('moves a ciphertext to another key and a new context without exposing plaintext', async () => {
    const src = await encrypt(keyA.KeyId, Buffer.from('moving'), { stage: 'one' });
    const out = await t.call('ReEncrypt', {
      CiphertextBlob: src,
      SourceEncryptionContext: { stage: 'one' },
      DestinationKeyId: keyB.KeyId,
      DestinationEncryptionContext: { stage: 'two' },
    });
    expect(out).not.toHaveProperty('Plaintext');
    expect(out).toMatchObject({ SourceKeyId: keyA.Arn, KeyId: keyB.Arn, SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const moved = Buffer.from(out.CiphertextBlob);
    expect(moved.subarray(1, 17).toString('hex')).toBe(keyB.KeyId.replace(/-/g, ''));
    const dec = await t.call('Decrypt', { CiphertextBlob: moved, EncryptionContext: { stage: 'two' } });
    expect(dec.KeyId).toBe(keyB.Arn);
    expect(Buffer.from(dec.Plaintext).toString()).toBe('moving');
    await refused(t.call('Decrypt', { CiphertextBlob: moved, EncryptionContext: { stage: 'one' } }), 'InvalidCiphertextException');
    await refused(t.call('Decrypt', { CiphertextBlob: moved, KeyId: keyA.KeyId, EncryptionContext: { stage: 'two' } }), 'IncorrectKeyException');
  });

  it('to the same key with a new context', async () => {
    const src = await encrypt(keyA.KeyId, Buffer.from('same key'));
    const out = await t.call('ReEncrypt', { CiphertextBlob: src, DestinationKeyId: keyA.KeyId, DestinationEncryptionContext: { v: '2' } });
    expect(Buffer.from(out.CiphertextBlob).equals(src)).toBe(false);
    expect((await decrypt(out.CiphertextBlob, { EncryptionContext: { v: '2' } })).toString()).toBe('same key');
    await refused(t.call('Decrypt', { CiphertextBlob: out.CiphertextBlob }), 'InvalidCiphertextException');
  });

  it('refuses a wrong source context, a wrong SourceKeyId, and a disabled destination', async () => {
    const src = await encrypt(keyA.KeyId, Buffer.from('x'), { a: '1' });
    await refused(t.call('ReEncrypt', { CiphertextBlob: src, DestinationKeyId: keyB.KeyId }), 'InvalidCiphertextException');
    await refused(t.call('ReEncrypt', { CiphertextBlob: src, SourceEncryptionContext: { a: '1' }, SourceKeyId: keyB.KeyId, DestinationKeyId: keyB.KeyId }), 'IncorrectKeyException');
    const disabled = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
    await t.call('DisableKey', { KeyId: disabled });
    await refused(t.call('ReEncrypt', { CiphertextBlob: src, SourceEncryptionContext: { a: '1' }, DestinationKeyId: disabled }), 'DisabledException');
  });
});

describe('GenerateDataKey and GenerateDataKeyWithoutPlaintext', () => {
  it.each([
    [{ KeySpec: 'AES_128' as const }, 16],
    [{ KeySpec: 'AES_256' as const }, 32],
    [{ NumberOfBytes: 1 }, 1],
    [{ NumberOfBytes: 1024 }, 1024],
  ])('%j gives a %i-byte data key whose CiphertextBlob decrypts to its Plaintext', async (spec, length) => {
    const out = await t.call('GenerateDataKey', { KeyId: 'alias/crypto-a', EncryptionContext: { file: 'f1' }, ...spec });
    expect(out.KeyId).toBe(keyA.Arn);
    expect(out.Plaintext.length).toBe(length);
    expect((await decrypt(out.CiphertextBlob, { EncryptionContext: { file: 'f1' } })).equals(Buffer.from(out.Plaintext))).toBe(true);
    await refused(t.call('Decrypt', { CiphertextBlob: out.CiphertextBlob }), 'InvalidCiphertextException');
  });

  it('gives a different key each time', async () => {
    const a = await t.call('GenerateDataKey', { KeyId: keyA.KeyId, KeySpec: 'AES_256' });
    const b = await t.call('GenerateDataKey', { KeyId: keyA.KeyId, KeySpec: 'AES_256' });
    expect(Buffer.from(a.Plaintext).equals(Buffer.from(b.Plaintext))).toBe(false);
  });

  it.each([
    ['both KeySpec and NumberOfBytes', { KeySpec: 'AES_256', NumberOfBytes: 32 }],
    ['neither', {}],
    ['NumberOfBytes 0', { NumberOfBytes: 0 }],
    ['NumberOfBytes 1025', { NumberOfBytes: 1025 }],
    ['NumberOfBytes 1.5', { NumberOfBytes: 1.5 }],
    ['KeySpec AES_512', { KeySpec: 'AES_512' }],
  ])('%s → ValidationException (both operations)', async (_why, spec) => {
    await refused(t.dispatch('GenerateDataKey', { KeyId: keyA.KeyId, ...spec }), 'ValidationException');
    await refused(t.dispatch('GenerateDataKeyWithoutPlaintext', { KeyId: keyA.KeyId, ...spec }), 'ValidationException');
  });

  it('WithoutPlaintext returns only the encrypted data key, which decrypts to the asked length', async () => {
    const out = await t.call('GenerateDataKeyWithoutPlaintext', { KeyId: keyB.KeyId, KeySpec: 'AES_128', EncryptionContext: { k: 'v' } });
    expect(Object.keys(out).sort()).toEqual(['CiphertextBlob', 'KeyId', 'KeyMaterialId']);
    expect(out.KeyId).toBe(keyB.Arn);
    expect((await decrypt(out.CiphertextBlob, { EncryptionContext: { k: 'v' } })).length).toBe(16);
    const n = await t.call('GenerateDataKeyWithoutPlaintext', { KeyId: keyB.KeyId, NumberOfBytes: 7 });
    expect((await decrypt(n.CiphertextBlob)).length).toBe(7);
  });
});

describe('GenerateRandom', () => {
  it.each([[1], [2], [32], [1024]])('returns %i random bytes', async (n) => {
    const out = await t.call('GenerateRandom', { NumberOfBytes: n });
    expect(out.Plaintext).toBeInstanceOf(Uint8Array);
    expect(out.Plaintext.length).toBe(n);
  });

  it('returns different bytes each time', async () => {
    const a = (await t.call('GenerateRandom', { NumberOfBytes: 32 })).Plaintext;
    const b = (await t.call('GenerateRandom', { NumberOfBytes: 32 })).Plaintext;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it.each([[0], [1025], [-1], [3.5], ['8']])('refuses NumberOfBytes %j with ValidationException', async (n) => {
    await refused(t.dispatch('GenerateRandom', { NumberOfBytes: n }), 'ValidationException');
  });
});

describe('tampered ciphertext blobs', () => {
  it('every single-bit flip of a blob is InvalidCiphertextException, never plaintext', async () => {
    const context = { purpose: 'bit-flips' };
    const blob = await encrypt(keyA.KeyId, Buffer.from([0x5a, 0xa5]), context);
    expect((await decrypt(blob, { EncryptionContext: context })).equals(Buffer.from([0x5a, 0xa5]))).toBe(true);
    const outcomes = new Map<string, number>();
    let flips = 0;
    for (let bit = 0; bit < blob.length * 8; bit++) {
      const bad = Buffer.from(blob);
      bad[bit >> 3]! ^= 0x80 >> (bit & 7);
      let outcome: string;
      try {
        const out = await t.call('Decrypt', { CiphertextBlob: bad, EncryptionContext: context });
        outcome = `plaintext ${Buffer.from(out.Plaintext).toString('hex')} at bit ${bit}`;
      } catch (e) {
        outcome = (e as Error).name;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      flips++;
    }
    expect(flips).toBe((2 + BLOB_OVERHEAD) * 8);
    expect(Object.fromEntries(outcomes)).toEqual({ InvalidCiphertextException: flips });
  });

  it('every truncation and appended bytes are InvalidCiphertextException; an empty blob ValidationException', async () => {
    const blob = await encrypt(keyA.KeyId, Buffer.from('truncate me'));
    for (let n = 1; n < blob.length; n++) {
      await refused(t.call('Decrypt', { CiphertextBlob: blob.subarray(0, n) }), 'InvalidCiphertextException');
    }
    for (const extra of [Buffer.from([0]), Buffer.alloc(16, 0xff), blob]) {
      await refused(t.call('Decrypt', { CiphertextBlob: Buffer.concat([blob, extra]) }), 'InvalidCiphertextException');
    }
    await refused(t.call('Decrypt', { CiphertextBlob: Buffer.alloc(0) }), 'ValidationException');
    await refused(t.call('Decrypt', { CiphertextBlob: Buffer.alloc(200) }), 'InvalidCiphertextException');
  });

  it('a blob from another vault is InvalidCiphertextException, also with its key id rewritten to a local key', async () => {
    const other = await makeVault();
    try {
      const foreignKey = (await other.call('CreateKey', {})).KeyMetadata.KeyId;
      const foreign = Buffer.from((await other.call('Encrypt', { KeyId: foreignKey, Plaintext: Buffer.from('elsewhere') })).CiphertextBlob);
      await refused(t.call('Decrypt', { CiphertextBlob: foreign }), 'InvalidCiphertextException');
      const grafted = Buffer.from(foreign);
      Buffer.from(keyA.KeyId.replace(/-/g, ''), 'hex').copy(grafted, 1);
      await refused(t.call('Decrypt', { CiphertextBlob: grafted }), 'InvalidCiphertextException');
      await refused(t.call('Decrypt', { CiphertextBlob: grafted, KeyId: keyA.KeyId }), 'InvalidCiphertextException');
    } finally {
      await other.close();
    }
  });

  it('a blob moved onto another key of this vault is InvalidCiphertextException', async () => {
    const blob = await encrypt(keyA.KeyId, Buffer.from('mine'));
    const moved = Buffer.from(blob);
    Buffer.from(keyB.KeyId.replace(/-/g, ''), 'hex').copy(moved, 1);
    await refused(t.call('Decrypt', { CiphertextBlob: moved }), 'InvalidCiphertextException');
  });
});
