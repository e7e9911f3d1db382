// Key import (Origin EXTERNAL): GetParametersForImport, ImportKeyMaterial,
// DeleteImportedKeyMaterial, expiry; every wrapping algorithm; imported keys
// of every family producing what the same material produces outside; and
// the AWS exceptions for wrong tokens, wrong or different material, and bad
// expiration settings.
import { createDecipheriv, createHmac, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalContext } from '../../../main/core/codecs/encryption-context.js';
import { MlDsaKey } from '../../../main/core/kms/asymmetric/mldsa.js';
import type { KeySpec, KeyUsage } from '../../../main/api/enums.js';
import { Secp256k1Key } from '../../../main/core/kms/asymmetric/secp256k1.js';
import { createImportedKey, importMaterial, wrapMaterial } from '../../support/import.js';
import { DAY, refused, sqlite } from '../../support/kms.js';
import { makeVault, type TestVault } from '../../support/vault.js';

let t: TestVault;
beforeAll(async () => {
  t = await makeVault();
});
afterAll(() => t.close());

const external = async (KeySpec: KeySpec = 'SYMMETRIC_DEFAULT', KeyUsage: KeyUsage = 'ENCRYPT_DECRYPT') => (await t.call('CreateKey', { KeySpec, KeyUsage, Origin: 'EXTERNAL' })).KeyMetadata;
const describeKey = async (KeyId: string) => (await t.call('DescribeKey', { KeyId })).KeyMetadata;
const pkcs8 = (k: ReturnType<typeof generateKeyPairSync>['privateKey']) => k.export({ type: 'pkcs8', format: 'der' });

/** Opens a Strongroom symmetric ciphertext blob with the raw material, as ciphertext-blob.ts describes it. */
function openBlobOutside(material: Buffer, blob: Uint8Array, ec?: Record<string, string>): Buffer {
  const b = Buffer.from(blob);
  const header = b.subarray(0, 33);
  const d = createDecipheriv('aes-256-gcm', material, b.subarray(21, 33));
  d.setAAD(Buffer.concat([header, canonicalContext(ec)]));
  d.setAuthTag(b.subarray(b.length - 16));
  return Buffer.concat([d.update(b.subarray(33, b.length - 16)), d.final()]);
}

describe('CreateKey with Origin EXTERNAL', () => {
  it('makes a key PendingImport with no material, unusable until imported', async () => {
    const k = await external();
    expect(k).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] });
    expect(sqlite(t, `SELECT count(*) FROM key_materials WHERE key_id = '${k.KeyId}'`)).toBe('0');
    await refused(t.call('Encrypt', { KeyId: k.KeyId, Plaintext: Buffer.from('x') }), 'KMSInvalidStateException');
    await refused(t.call('EnableKey', { KeyId: k.KeyId }), 'KMSInvalidStateException');
    await refused(t.call('DisableKey', { KeyId: k.KeyId }), 'KMSInvalidStateException');
    await refused(t.call('GetParametersForImport', { KeyId: k.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }).then(() => t.call('Encrypt', { KeyId: k.KeyId, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException');
  });

  it('a deletion cancelled before any import leaves the key PendingImport, not Disabled', async () => {
    const k = await external();
    await t.call('ScheduleKeyDeletion', { KeyId: k.KeyId, PendingWindowInDays: 7 });
    await t.call('CancelKeyDeletion', { KeyId: k.KeyId });
    expect((await describeKey(k.KeyId)).KeyState).toBe('PendingImport');
    await importMaterial(t, k.KeyId, randomBytes(32));
    await t.call('ScheduleKeyDeletion', { KeyId: k.KeyId, PendingWindowInDays: 7 });
    await t.call('CancelKeyDeletion', { KeyId: k.KeyId });
    expect((await describeKey(k.KeyId)).KeyState).toBe('Disabled');
  });
});

describe('symmetric import', () => {
  it('every wrapping algorithm and key spec imports 256-bit material; ciphertexts open outside with the same material', async () => {
    for (const WrappingAlgorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'] as const) {
      for (const WrappingKeySpec of ['RSA_2048', 'RSA_3072'] as const) {
        const material = randomBytes(32);
        const k = await external();
        await importMaterial(t, k.KeyId, material, { WrappingAlgorithm, WrappingKeySpec });
        expect(await describeKey(k.KeyId)).toMatchObject({ KeyState: 'Enabled', Enabled: true, Origin: 'EXTERNAL', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
        const { CiphertextBlob } = await t.call('Encrypt', { KeyId: k.KeyId, Plaintext: Buffer.from('imported'), EncryptionContext: { a: '1' } });
        expect(openBlobOutside(material, CiphertextBlob, { a: '1' }).toString()).toBe('imported');
        const dk = await t.call('GenerateDataKey', { KeyId: k.KeyId, KeySpec: 'AES_256' });
        expect(openBlobOutside(material, dk.CiphertextBlob).equals(Buffer.from(dk.Plaintext))).toBe(true);
      }
    }
  });

  it('GetParametersForImport returns an RSA public key of the asked size, a token, and a 24-hour validity', async () => {
    const k = await external();
    const p = await t.call('GetParametersForImport', { KeyId: k.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_4096' });
    expect(p.KeyId).toBe(k.Arn);
    expect(createPublicKey({ key: Buffer.from(p.PublicKey), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(p.ParametersValidTo.getTime()).toBe(t.clock.now + DAY);
    expect(p.ImportToken.length).toBeGreaterThan(16);
  });

  it('re-importing the same material works; different material is IncorrectKeyMaterialException', async () => {
    const material = randomBytes(32);
    const k = await external();
    await importMaterial(t, k.KeyId, material);
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: k.KeyId, Plaintext: Buffer.from('kept') });
    await refused(importMaterial(t, k.KeyId, randomBytes(32)), 'IncorrectKeyMaterialException');
    await t.call('DeleteImportedKeyMaterial', { KeyId: k.KeyId });
    expect(await describeKey(k.KeyId)).toMatchObject({ KeyState: 'PendingImport' });
    expect((await describeKey(k.KeyId)).ExpirationModel).toBeUndefined();
    expect(sqlite(t, `SELECT count(*) FROM key_materials WHERE key_id = '${k.KeyId}'`)).toBe('0');
    await refused(t.call('Decrypt', { CiphertextBlob }), 'KMSInvalidStateException');
    await refused(importMaterial(t, k.KeyId, randomBytes(32)), 'IncorrectKeyMaterialException');
    await importMaterial(t, k.KeyId, material, { WrappingAlgorithm: 'RSAES_OAEP_SHA_1' });
    expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob })).Plaintext).toString()).toBe('kept');
    // and while the material is present, to change the expiration
    await importMaterial(t, k.KeyId, material, { ValidTo: new Date(t.clock.now + 30 * DAY) });
    expect(await describeKey(k.KeyId)).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(t.clock.now + 30 * DAY) });
  });

  it('a disabled key stays disabled after a re-import', async () => {
    const material = randomBytes(32);
    const k = await external();
    await importMaterial(t, k.KeyId, material);
    await t.call('DisableKey', { KeyId: k.KeyId });
    await importMaterial(t, k.KeyId, material);
    expect((await describeKey(k.KeyId)).KeyState).toBe('Disabled');
  });

  it('material of the wrong length is IncorrectKeyMaterialException, and no commitment is recorded', async () => {
    const k = await external();
    await refused(importMaterial(t, k.KeyId, randomBytes(16)), 'IncorrectKeyMaterialException');
    await refused(importMaterial(t, k.KeyId, randomBytes(33)), 'IncorrectKeyMaterialException');
    await importMaterial(t, k.KeyId, randomBytes(32));
  });
});

describe('import tokens and wrapping', () => {
  it('a token of another key, a garbage token, or an expired token are refused', async () => {
    const a = await external();
    const b = await external();
    const pa = await t.call('GetParametersForImport', { KeyId: a.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    const material = randomBytes(32);
    const wrapped = wrapMaterial(pa.PublicKey, 'RSAES_OAEP_SHA_256', material);
    await refused(t.call('ImportKeyMaterial', { KeyId: b.KeyId, ImportToken: pa.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }), 'InvalidImportTokenException');
    await refused(t.call('ImportKeyMaterial', { KeyId: a.KeyId, ImportToken: Buffer.from('not a token'), EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }), 'InvalidImportTokenException');
    const forged = Buffer.from(pa.ImportToken);
    forged[forged.length - 1]! ^= 1;
    await refused(t.call('ImportKeyMaterial', { KeyId: a.KeyId, ImportToken: forged, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }), 'InvalidImportTokenException');
    t.clock.now += DAY + 1;
    try {
      await refused(t.call('ImportKeyMaterial', { KeyId: a.KeyId, ImportToken: pa.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }), 'ExpiredImportTokenException');
    } finally {
      t.clock.now -= DAY + 1;
    }
    await t.call('ImportKeyMaterial', { KeyId: a.KeyId, ImportToken: pa.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
  });

  it('material wrapped for another token, algorithm or garbage is InvalidCiphertextException', async () => {
    const k = await external();
    const p1 = await t.call('GetParametersForImport', { KeyId: k.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    const p2 = await t.call('GetParametersForImport', { KeyId: k.KeyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    const material = randomBytes(32);
    const imp = (ImportToken: Uint8Array, EncryptedKeyMaterial: Uint8Array) => t.call('ImportKeyMaterial', { KeyId: k.KeyId, ImportToken, EncryptedKeyMaterial, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    await refused(imp(p1.ImportToken, wrapMaterial(p2.PublicKey, 'RSAES_OAEP_SHA_256', material)), 'InvalidCiphertextException');
    await refused(imp(p1.ImportToken, wrapMaterial(p1.PublicKey, 'RSAES_OAEP_SHA_1', material)), 'InvalidCiphertextException');
    await refused(imp(p2.ImportToken, wrapMaterial(p2.PublicKey, 'RSAES_OAEP_SHA_256', material)), 'InvalidCiphertextException');
    const kwp = wrapMaterial(p2.PublicKey, 'RSA_AES_KEY_WRAP_SHA_256', material);
    kwp[kwp.length - 3]! ^= 1;
    await refused(imp(p2.ImportToken, kwp), 'InvalidCiphertextException');
    await refused(imp(p2.ImportToken, randomBytes(100)), 'InvalidCiphertextException');
    await imp(p2.ImportToken, wrapMaterial(p2.PublicKey, 'RSA_AES_KEY_WRAP_SHA_256', material));
  });

  it('refuses keys that are not EXTERNAL, aliases, and combinations AWS refuses', async () => {
    const native = (await t.call('CreateKey', {})).KeyMetadata;
    await refused(t.call('GetParametersForImport', { KeyId: native.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }), 'UnsupportedOperationException');
    await refused(t.call('DeleteImportedKeyMaterial', { KeyId: native.KeyId }), 'UnsupportedOperationException');
    const ext = await external();
    await t.call('CreateAlias', { AliasName: 'alias/imported', TargetKeyId: ext.KeyId });
    await refused(t.call('GetParametersForImport', { KeyId: 'alias/imported', WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }), 'NotFoundException');
    const rsa = await external('RSA_2048', 'SIGN_VERIFY');
    await refused(t.call('GetParametersForImport', { KeyId: rsa.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_4096' }), 'ValidationException');
    const p521 = await external('ECC_NIST_P521', 'SIGN_VERIFY');
    await refused(t.call('GetParametersForImport', { KeyId: p521.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' }), 'ValidationException');
    await t.call('GetParametersForImport', { KeyId: p521.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_3072' });
    await refused(t.dispatch('GetParametersForImport', { KeyId: ext.KeyId, WrappingAlgorithm: 'RSAES_PKCS1_V1_5', WrappingKeySpec: 'RSA_2048' }), 'ValidationException');
    await refused(t.dispatch('GetParametersForImport', { KeyId: ext.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'SM2' }), 'ValidationException');
    await t.call('ScheduleKeyDeletion', { KeyId: ext.KeyId, PendingWindowInDays: 7 });
    await refused(t.call('GetParametersForImport', { KeyId: ext.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }), 'KMSInvalidStateException');
    await refused(t.call('EnableKeyRotation', { KeyId: (await external()).KeyId }), 'UnsupportedOperationException');
  });
});

describe('expiration', () => {
  it('ExpirationModel and ValidTo are checked as AWS does', async () => {
    const k = await external();
    const p = await t.call('GetParametersForImport', { KeyId: k.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    const EncryptedKeyMaterial = wrapMaterial(p.PublicKey, 'RSAES_OAEP_SHA_256', randomBytes(32));
    const imp = (extra: object) => t.call('ImportKeyMaterial', { KeyId: k.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial, ...extra });
    await refused(imp({}), 'ValidationException'); // default KEY_MATERIAL_EXPIRES needs ValidTo
    await refused(imp({ ExpirationModel: 'KEY_MATERIAL_EXPIRES' }), 'ValidationException');
    await refused(imp({ ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: new Date(t.clock.now + DAY) }), 'ValidationException');
    await refused(imp({ ValidTo: new Date(t.clock.now - 1) }), 'ValidationException');
    await refused(imp({ ValidTo: new Date(t.clock.now + 366 * DAY) }), 'ValidationException');
    await imp({ ValidTo: new Date(t.clock.now + 365 * DAY) });
  });

  it('when ValidTo passes the material is deleted and the key is PendingImport, until the same material comes back', async () => {
    const material = randomBytes(32);
    const k = await external();
    await importMaterial(t, k.KeyId, material, { ValidTo: new Date(t.clock.now + 10 * DAY) });
    expect(await describeKey(k.KeyId)).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(t.clock.now + 10 * DAY) });
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: k.KeyId, Plaintext: Buffer.from('until then') });
    t.clock.now += 10 * DAY;
    try {
      await refused(t.call('Decrypt', { CiphertextBlob }), 'KMSInvalidStateException');
      const meta = await describeKey(k.KeyId);
      expect(meta.KeyState).toBe('PendingImport');
      expect(meta.ValidTo).toBeUndefined();
      expect(sqlite(t, `SELECT count(*) FROM key_materials WHERE key_id = '${k.KeyId}'`)).toBe('0');
      await importMaterial(t, k.KeyId, material);
      expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob })).Plaintext).toString()).toBe('until then');
    } finally {
      t.clock.now -= 10 * DAY;
    }
  });

  it('expiry is also settled by runDueWork (ListKeys), not only on use', async () => {
    const k = await external();
    await importMaterial(t, k.KeyId, randomBytes(32), { ValidTo: new Date(t.clock.now + DAY) });
    t.clock.now += DAY + 1;
    try {
      await t.call('ListKeys', {});
      expect(sqlite(t, `SELECT state FROM keys WHERE key_id = '${k.KeyId}'`)).toBe('PendingImport');
    } finally {
      t.clock.now -= DAY + 1;
    }
  });
});

describe('asymmetric and HMAC import: the vault produces what the same material produces outside', () => {
  it('RSA signing: PKCS#1 v1.5 signatures are byte-identical; PSS cross-verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const k = await createImportedKey(t, 'RSA_2048', 'SIGN_VERIFY', pkcs8(privateKey));
    const msg = Buffer.from('same material, same signature');
    const { Signature } = await t.call('Sign', { KeyId: k.KeyId, Message: msg, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' });
    expect(Buffer.from(Signature).equals(nodeSign('sha256', msg, privateKey))).toBe(true);
    const pss = nodeSign('sha384', msg, { key: privateKey, padding: 6, saltLength: 48 });
    expect((await t.call('Verify', { KeyId: k.KeyId, Message: msg, Signature: pss, SigningAlgorithm: 'RSASSA_PSS_SHA_384' })).SignatureValid).toBe(true);
    const pub = await t.call('GetPublicKey', { KeyId: k.KeyId });
    expect(Buffer.from(pub.PublicKey).equals(publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('RSA encryption: node:crypto OAEP ciphertexts decrypt; RSAES_OAEP cannot wrap RSA keys but RSA_AES_KEY_WRAP can', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const k = await createImportedKey(t, 'RSA_3072', 'ENCRYPT_DECRYPT', pkcs8(privateKey), { WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_1', WrappingKeySpec: 'RSA_4096' });
    const ct = (await import('node:crypto')).publicEncrypt({ key: publicKey, oaepHash: 'sha256' }, Buffer.from('to the vault'));
    expect(Buffer.from((await t.call('Decrypt', { KeyId: k.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).Plaintext).toString()).toBe('to the vault');
  });

  it('a key of another size or curve, or not a key, is IncorrectKeyMaterialException', async () => {
    const rsa2048 = await external('RSA_2048', 'SIGN_VERIFY');
    await refused(importMaterial(t, rsa2048.KeyId, pkcs8(generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey)), 'IncorrectKeyMaterialException');
    await refused(importMaterial(t, rsa2048.KeyId, pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)), 'IncorrectKeyMaterialException');
    const p256 = await external('ECC_NIST_P256', 'SIGN_VERIFY');
    await refused(importMaterial(t, p256.KeyId, pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey)), 'IncorrectKeyMaterialException');
    await refused(importMaterial(t, p256.KeyId, randomBytes(121)), 'IncorrectKeyMaterialException');
    const ed = await external('ECC_NIST_EDWARDS25519', 'SIGN_VERIFY');
    await refused(importMaterial(t, ed.KeyId, pkcs8(generateKeyPairSync('x25519').privateKey)), 'IncorrectKeyMaterialException');
    // a re-import of another key of the right kind is the "different material" error too
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await importMaterial(t, p256.KeyId, pkcs8(ec.privateKey));
    await refused(importMaterial(t, p256.KeyId, pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)), 'IncorrectKeyMaterialException');
    // the same key in another PKCS#8 encoding (no embedded public key) is the same material
    const jwk = ec.privateKey.export({ format: 'jwk' });
    const bare = Buffer.concat([
      Buffer.from('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420', 'hex'),
      Buffer.from(jwk.d!, 'base64url'),
    ]);
    expect(createPrivateKey({ key: bare, format: 'der', type: 'pkcs8' }).asymmetricKeyType).toBe('ec');
    await importMaterial(t, p256.KeyId, bare);
  });

  it('ECDSA P-384, Ed25519, secp256k1 and ML-DSA: signatures verify outside (Ed25519 byte-identical)', async () => {
    const msg = Buffer.from('imported signer');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const k1 = await createImportedKey(t, 'ECC_NIST_P384', 'SIGN_VERIFY', pkcs8(p384.privateKey), { WrappingAlgorithm: 'RSAES_OAEP_SHA_256' });
    const s1 = (await t.call('Sign', { KeyId: k1.KeyId, Message: msg, SigningAlgorithm: 'ECDSA_SHA_384' })).Signature;
    expect(nodeVerify('sha384', msg, p384.publicKey, s1)).toBe(true);

    const ed = generateKeyPairSync('ed25519');
    const k2 = await createImportedKey(t, 'ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', pkcs8(ed.privateKey), { WrappingAlgorithm: 'RSAES_OAEP_SHA_1' });
    const s2 = (await t.call('Sign', { KeyId: k2.KeyId, Message: msg, SigningAlgorithm: 'ED25519_SHA_512' })).Signature;
    expect(Buffer.from(s2).equals(nodeSign(null, msg, ed.privateKey))).toBe(true);

    const k1k = Secp256k1Key.generate();
    const k3 = await createImportedKey(t, 'ECC_SECG_P256K1', 'SIGN_VERIFY', k1k.pkcs8);
    const s3 = (await t.call('Sign', { KeyId: k3.KeyId, Message: msg, SigningAlgorithm: 'ECDSA_SHA_256' })).Signature;
    expect(Buffer.from(s3).equals(k1k.sign(msg, 'RAW'))).toBe(true); // RFC 6979: deterministic

    const ml = MlDsaKey.generate('ML_DSA_44');
    const k4 = await createImportedKey(t, 'ML_DSA_44', 'SIGN_VERIFY', ml.pkcs8, { WrappingAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(Buffer.from((await t.call('GetPublicKey', { KeyId: k4.KeyId })).PublicKey).equals(ml.spki)).toBe(true);
  });

  it('X25519 and P-256 key agreement give the secret the outside key gives', async () => {
    for (const [spec, gen] of [
      ['ECC_X25519', () => generateKeyPairSync('x25519')],
      ['ECC_NIST_P256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ] as const) {
      const mine = gen();
      const peer = gen();
      const k = await createImportedKey(t, spec, 'KEY_AGREEMENT', pkcs8(mine.privateKey));
      const { SharedSecret } = await t.call('DeriveSharedSecret', { KeyId: k.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ type: 'spki', format: 'der' }) });
      expect(Buffer.from(SharedSecret).equals(diffieHellman({ privateKey: mine.privateKey, publicKey: peer.publicKey }))).toBe(true);
      expect((await describeKey(k.KeyId)).KeyAgreementAlgorithms).toEqual(['ECDH']);
      const out = await t.call('DeriveSharedSecret', { KeyId: k.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ type: 'spki', format: 'der' }) });
      expect(out.KeyOrigin).toBe('EXTERNAL');
    }
  });

  it('HMAC: MACs equal node:crypto HMAC with the same key; lengths outside AWS bounds are refused', async () => {
    for (const [bits, min, max] of [
      [224, 28, 64],
      [256, 32, 64],
      [384, 48, 128],
      [512, 64, 128],
    ] as const) {
      const material = randomBytes(max);
      const k = await createImportedKey(t, `HMAC_${bits}`, 'GENERATE_VERIFY_MAC', material, { WrappingAlgorithm: 'RSAES_OAEP_SHA_256' });
      const { Mac } = await t.call('GenerateMac', { KeyId: k.KeyId, Message: Buffer.from('m'), MacAlgorithm: `HMAC_SHA_${bits}` });
      expect(Buffer.from(Mac).equals(createHmac(`sha${bits}`, material).update('m').digest())).toBe(true);
      const short = await external(`HMAC_${bits}`, 'GENERATE_VERIFY_MAC');
      await refused(importMaterial(t, short.KeyId, randomBytes(min - 1)), 'IncorrectKeyMaterialException');
      await refused(importMaterial(t, short.KeyId, randomBytes(max + 1)), 'IncorrectKeyMaterialException');
      await importMaterial(t, short.KeyId, randomBytes(min));
    }
  });
});
