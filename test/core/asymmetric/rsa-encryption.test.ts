// Encrypt, Decrypt and ReEncrypt with RSA ENCRYPT_DECRYPT keys: raw OAEP
// ciphertexts node:crypto decrypts... with the vault's key only, so checked
// the other way (node:crypto encrypts to GetPublicKey, Strongroom decrypts),
// the OAEP plaintext limits per key size, KeyId/EncryptionAlgorithm rules,
// ReEncrypt between RSA and symmetric keys, and the AWS exceptions.
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncryptionAlgorithm } from '../../../main/api/enums.js';
import { refused } from '../../support/kms.js';
import { makeVault, type TestVault } from '../../support/vault.js';

let t: TestVault;
const k: Record<string, { KeyId: string; Arn: string }> = {};
beforeAll(async () => {
  t = await makeVault();
  await Promise.all(
    (['RSA_2048', 'RSA_3072', 'RSA_4096'] as const).map(async (spec) => {
      k[spec] = (await t.call('CreateKey', { KeySpec: spec, KeyUsage: 'ENCRYPT_DECRYPT' })).KeyMetadata;
    }),
  );
  k['sym'] = (await t.call('CreateKey', {})).KeyMetadata;
  k['sig'] = (await t.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata;
}, 120_000);
afterAll(() => t.close());

const LIMITS: Record<string, Record<string, number>> = {
  RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
  RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
  RSA_4096: { RSAES_OAEP_SHA_1: 470, RSAES_OAEP_SHA_256: 446 },
};
const enc = (spec: string, Plaintext: Uint8Array, EncryptionAlgorithm?: EncryptionAlgorithm, extra: { EncryptionContext?: Record<string, string> } = {}) =>
  t.call('Encrypt', { KeyId: k[spec]!.KeyId, Plaintext, ...(EncryptionAlgorithm ? { EncryptionAlgorithm } : {}), ...extra });
const dec = (spec: string, CiphertextBlob: Uint8Array, EncryptionAlgorithm?: EncryptionAlgorithm, extra: { EncryptionContext?: Record<string, string> } = {}) =>
  t.call('Decrypt', { KeyId: k[spec]!.KeyId, CiphertextBlob, ...(EncryptionAlgorithm ? { EncryptionAlgorithm } : {}), ...extra });

describe('RSA Encrypt / Decrypt', () => {
  for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096']) {
    for (const alg of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
      it(`${spec} ${alg}: round-trips up to the OAEP limit (${LIMITS[spec]![alg]} bytes); one more is ValidationException`, async () => {
        const max = LIMITS[spec]![alg]!;
        const pt = Buffer.alloc(max, 0x5a);
        const e = await enc(spec, pt, alg);
        expect(e).toMatchObject({ KeyId: k[spec]!.Arn, EncryptionAlgorithm: alg });
        expect(e.CiphertextBlob.length).toBe(Number(spec.slice(4)) / 8);
        const d = await dec(spec, e.CiphertextBlob, alg);
        expect(d).toMatchObject({ KeyId: k[spec]!.Arn, EncryptionAlgorithm: alg });
        expect(Buffer.from(d.Plaintext).equals(pt)).toBe(true);
        await refused(enc(spec, Buffer.alloc(max + 1), alg), 'ValidationException');
      });
    }
  }

  it('decrypts what node:crypto encrypts to GetPublicKey (OAEP SHA-256 and SHA-1)', async () => {
    const pub = createPublicKey({ key: Buffer.from((await t.call('GetPublicKey', { KeyId: k['RSA_3072']!.KeyId })).PublicKey), format: 'der', type: 'spki' });
    for (const [oaepHash, alg] of [
      ['sha256', 'RSAES_OAEP_SHA_256'],
      ['sha1', 'RSAES_OAEP_SHA_1'],
    ] as const) {
      const ct = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, Buffer.from('hello'));
      expect(Buffer.from((await dec('RSA_3072', ct, alg)).Plaintext).toString()).toBe('hello');
    }
    const pubKey = await t.call('GetPublicKey', { KeyId: k['RSA_3072']!.KeyId });
    expect(pubKey.EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
  });

  it('needs an RSA EncryptionAlgorithm with RSA keys (InvalidKeyUsageException), and RSA algorithms need RSA keys', async () => {
    await refused(enc('RSA_2048', Buffer.from('x')), 'InvalidKeyUsageException');
    await refused(enc('RSA_2048', Buffer.from('x'), 'SYMMETRIC_DEFAULT'), 'InvalidKeyUsageException');
    await refused(enc('sym', Buffer.from('x'), 'RSAES_OAEP_SHA_256'), 'InvalidKeyUsageException');
    await refused(enc('sig', Buffer.from('x'), 'RSAES_OAEP_SHA_256'), 'InvalidKeyUsageException');
    const { CiphertextBlob } = await enc('sym', Buffer.from('x'));
    await refused(dec('sym', CiphertextBlob, 'RSAES_OAEP_SHA_256'), 'InvalidKeyUsageException');
  });

  it('Decrypt of an RSA ciphertext needs KeyId and EncryptionAlgorithm', async () => {
    const { CiphertextBlob } = await enc('RSA_2048', Buffer.from('x'), 'RSAES_OAEP_SHA_256');
    await refused(t.call('Decrypt', { CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'ValidationException');
    await refused(t.call('Decrypt', { CiphertextBlob }), 'InvalidCiphertextException');
  });

  it('wrong key, wrong algorithm or a flipped bit is InvalidCiphertextException', async () => {
    const { CiphertextBlob } = await enc('RSA_2048', Buffer.from('secret'), 'RSAES_OAEP_SHA_256');
    await refused(dec('RSA_2048', CiphertextBlob, 'RSAES_OAEP_SHA_1'), 'InvalidCiphertextException');
    await refused(dec('RSA_3072', CiphertextBlob, 'RSAES_OAEP_SHA_256'), 'InvalidCiphertextException');
    const flipped = Buffer.from(CiphertextBlob);
    flipped[100]! ^= 4;
    await refused(dec('RSA_2048', flipped, 'RSAES_OAEP_SHA_256'), 'InvalidCiphertextException');
    await refused(dec('RSA_2048', Buffer.from(CiphertextBlob).subarray(1), 'RSAES_OAEP_SHA_256'), 'InvalidCiphertextException');
  });

  it('an EncryptionContext is not supported with asymmetric keys (ValidationException)', async () => {
    await refused(enc('RSA_2048', Buffer.from('x'), 'RSAES_OAEP_SHA_256', { EncryptionContext: { a: 'b' } }), 'ValidationException');
    const { CiphertextBlob } = await enc('RSA_2048', Buffer.from('x'), 'RSAES_OAEP_SHA_256');
    await refused(dec('RSA_2048', CiphertextBlob, 'RSAES_OAEP_SHA_256', { EncryptionContext: { a: 'b' } }), 'ValidationException');
  });

  it('RSA keys cannot make data keys or data key pairs (InvalidKeyUsageException)', async () => {
    await refused(t.call('GenerateDataKey', { KeyId: k['RSA_2048']!.KeyId, KeySpec: 'AES_256' }), 'InvalidKeyUsageException');
    await refused(t.call('GenerateDataKeyPair', { KeyId: k['RSA_2048']!.KeyId, KeyPairSpec: 'ECC_NIST_P256' }), 'InvalidKeyUsageException');
  });
});

describe('ReEncrypt', () => {
  it('symmetric → RSA → RSA → symmetric keeps the plaintext', async () => {
    const pt = Buffer.from('moving between keys');
    const a = await t.call('Encrypt', { KeyId: k['sym']!.KeyId, Plaintext: pt, EncryptionContext: { c: '1' } });
    const b = await t.call('ReEncrypt', { CiphertextBlob: a.CiphertextBlob, SourceEncryptionContext: { c: '1' }, DestinationKeyId: k['RSA_2048']!.KeyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(b).toMatchObject({ SourceKeyId: k['sym']!.Arn, KeyId: k['RSA_2048']!.Arn, SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    const c = await t.call('ReEncrypt', {
      CiphertextBlob: b.CiphertextBlob,
      SourceKeyId: k['RSA_2048']!.KeyId,
      SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      DestinationKeyId: k['RSA_4096']!.KeyId,
      DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
    });
    expect(c).toMatchObject({ SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1' });
    const d = await t.call('ReEncrypt', { CiphertextBlob: c.CiphertextBlob, SourceKeyId: k['RSA_4096']!.KeyId, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DestinationKeyId: k['sym']!.KeyId });
    expect(d.DestinationEncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob: d.CiphertextBlob })).Plaintext).equals(pt)).toBe(true);
  });

  it('refuses an RSA destination without an RSA algorithm, and a plaintext over its limit', async () => {
    const a = await t.call('Encrypt', { KeyId: k['sym']!.KeyId, Plaintext: Buffer.alloc(300) });
    await refused(t.call('ReEncrypt', { CiphertextBlob: a.CiphertextBlob, DestinationKeyId: k['RSA_2048']!.KeyId }), 'InvalidKeyUsageException');
    await refused(t.call('ReEncrypt', { CiphertextBlob: a.CiphertextBlob, DestinationKeyId: k['RSA_2048']!.KeyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'ValidationException');
  });
});
