// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a usable key
// pair of each KeyPairSpec, the private key (PKCS#8) decrypting from its
// ciphertext blob under the symmetric key with the same encryption context.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secp256k1Key, secp256k1Verify } from '../../../main/core/kms/asymmetric/secp256k1.js';
import { parseSecp256k1Spki } from '../../../main/core/kms/asymmetric/secp256k1.js';
import { refused } from '../../support/kms.js';
import { makeVault, type TestVault } from '../../support/vault.js';

let t: TestVault;
let sym: { KeyId: string; Arn: string };
beforeAll(async () => {
  t = await makeVault();
  sym = (await t.call('CreateKey', {})).KeyMetadata;
});
afterAll(() => t.close());

const ec = { purpose: 'data key pair test' };

describe('GenerateDataKeyPair', () => {
  for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521'] as const) {
    it(`${spec}: a working key pair whose private key decrypts from the blob`, async () => {
      const out = await t.call('GenerateDataKeyPair', { KeyId: sym.KeyId, KeyPairSpec: spec, EncryptionContext: ec });
      expect(out).toMatchObject({ KeyId: sym.Arn, KeyPairSpec: spec });
      const priv = createPrivateKey({ key: Buffer.from(out.PrivateKeyPlaintext), format: 'der', type: 'pkcs8' });
      const pub = createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' });
      expect(createPublicKey(priv).export({ type: 'spki', format: 'der' }).equals(Buffer.from(out.PublicKey))).toBe(true);
      const sig = sign('sha256', Buffer.from('m'), priv);
      expect(verify('sha256', Buffer.from('m'), pub, sig)).toBe(true);
      const dec = await t.call('Decrypt', { CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: ec });
      expect(Buffer.from(dec.Plaintext).equals(Buffer.from(out.PrivateKeyPlaintext))).toBe(true);
      await refused(t.call('Decrypt', { CiphertextBlob: out.PrivateKeyCiphertextBlob }), 'InvalidCiphertextException');
    });
  }

  it('ECC_SECG_P256K1: PKCS#8 that parses back to the same key', async () => {
    const out = await t.call('GenerateDataKeyPair', { KeyId: sym.KeyId, KeyPairSpec: 'ECC_SECG_P256K1' });
    const k = Secp256k1Key.fromPkcs8(out.PrivateKeyPlaintext);
    expect(Buffer.from(k.point).equals(Buffer.from(parseSecp256k1Spki(out.PublicKey)))).toBe(true);
    expect(secp256k1Verify(k.point, Buffer.from('m'), 'RAW', k.sign(Buffer.from('m'), 'RAW'))).toBe(true);
  });

  it('WithoutPlaintext returns no private key, and each call is a new pair', async () => {
    const a = await t.call('GenerateDataKeyPairWithoutPlaintext', { KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_P256' });
    const b = await t.call('GenerateDataKeyPairWithoutPlaintext', { KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_P256' });
    expect(a).not.toHaveProperty('PrivateKeyPlaintext');
    expect(Object.keys(a).sort()).toEqual(['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PublicKey']);
    expect(Buffer.from(a.PublicKey).equals(Buffer.from(b.PublicKey))).toBe(false);
    const priv = createPrivateKey({ key: Buffer.from((await t.call('Decrypt', { CiphertextBlob: a.PrivateKeyCiphertextBlob })).Plaintext), format: 'der', type: 'pkcs8' });
    expect(createPublicKey(priv).export({ type: 'spki', format: 'der' }).equals(Buffer.from(a.PublicKey))).toBe(true);
  });

  it('needs a symmetric encryption key; unknown specs are ValidationException', async () => {
    const signing = (await t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata;
    const hmac = (await t.call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata;
    await refused(t.call('GenerateDataKeyPair', { KeyId: signing.KeyId, KeyPairSpec: 'ECC_NIST_P256' }), 'InvalidKeyUsageException');
    await refused(t.call('GenerateDataKeyPair', { KeyId: hmac.KeyId, KeyPairSpec: 'ECC_NIST_P256' }), 'InvalidKeyUsageException');
    await refused(t.dispatch('GenerateDataKeyPair', { KeyId: sym.KeyId, KeyPairSpec: 'SM2' }), 'ValidationException');
    await refused(t.dispatch('GenerateDataKeyPair', { KeyId: sym.KeyId }), 'ValidationException');
  });
});
