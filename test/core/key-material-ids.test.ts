// Key material ids (AWS KMS API Reference: KeyMaterialId, CurrentKeyMaterialId,
// SourceKeyMaterialId, DestinationKeyMaterialId; main/core/kms/material-id.ts):
// one 64-hex-character id per material version of a symmetric encryption
// key, stable across calls and restarts, new with each rotation; Decrypt
// names the material that made the ciphertext; imported material has the
// same id each time the same material is imported into the same key, and
// an id that no hash of the material alone gives.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMaterial } from '../support/import.js';
import { refused, sqlite } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeAll(async () => {
  t = await makeVault();
});
afterAll(() => t.close());

const ID = /^[0-9a-f]{64}$/;
const newKey = async (input: Parameters<TestVault['call']>[1] = {}) => (await t.call('CreateKey', input as never)).KeyMetadata as { KeyId: string; Arn: string; CurrentKeyMaterialId?: string };
const current = async (KeyId: string) => (await t.call('DescribeKey', { KeyId })).KeyMetadata.CurrentKeyMaterialId;
const encrypt = async (KeyId: string, text = 'x') => (await t.call('Encrypt', { KeyId, Plaintext: Buffer.from(text) })).CiphertextBlob;
const decryptedBy = async (CiphertextBlob: Uint8Array) => (await t.call('Decrypt', { CiphertextBlob })).KeyMaterialId;
const allMaterial = async (KeyId: string) => (await t.call('ListKeyRotations', { KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations;

describe('a symmetric key with generated material', () => {
  it('has one id, the same in CreateKey, DescribeKey, every Encrypt-side operation and Decrypt, and after a restart', async () => {
    const key = await newKey();
    const id = key.CurrentKeyMaterialId;
    expect(id).toMatch(ID);
    expect(await current(key.KeyId)).toBe(id);
    expect(await current(key.Arn)).toBe(id);
    expect(sqlite(t, `SELECT material_id FROM key_materials WHERE key_id = '${key.KeyId}'`)).toBe(id);
    expect(await decryptedBy(await encrypt(key.KeyId))).toBe(id);
    expect((await t.call('GenerateDataKey', { KeyId: key.KeyId, KeySpec: 'AES_256' })).KeyMaterialId).toBe(id);
    expect((await t.call('GenerateDataKeyWithoutPlaintext', { KeyId: key.KeyId, NumberOfBytes: 16 })).KeyMaterialId).toBe(id);
    expect((await t.call('GenerateDataKeyPair', { KeyId: key.KeyId, KeyPairSpec: 'ECC_NIST_P256' })).KeyMaterialId).toBe(id);
    expect((await t.call('GenerateDataKeyPairWithoutPlaintext', { KeyId: key.KeyId, KeyPairSpec: 'ECC_NIST_P256' })).KeyMaterialId).toBe(id);
    const v = await t.reopen();
    const admin = await v.service.signIn({ userName: 'admin', passphrase: 'correct horse battery staple', region: 'local-1', source: 'sdk' });
    expect((await v.service.call(admin, 'DescribeKey', { KeyId: key.KeyId })).KeyMetadata.CurrentKeyMaterialId).toBe(id);
  });

  it('two keys have different ids', async () => {
    const [a, b] = [await newKey(), await newKey()];
    expect(a.CurrentKeyMaterialId).not.toBe(b.CurrentKeyMaterialId);
  });

  it('each rotation makes a new current id; a ciphertext names the material that made it, however often the key rotated since', async () => {
    const key = await newKey();
    const first = key.CurrentKeyMaterialId!;
    const old = await encrypt(key.KeyId, 'first material');
    await t.call('RotateKeyOnDemand', { KeyId: key.KeyId });
    const second = (await current(key.KeyId))!;
    expect(second).toMatch(ID);
    expect(second).not.toBe(first);
    const newer = await encrypt(key.KeyId, 'second material');
    await t.call('RotateKeyOnDemand', { KeyId: key.KeyId });
    const third = (await current(key.KeyId))!;
    expect(new Set([first, second, third]).size).toBe(3);
    expect(await decryptedBy(old)).toBe(first);
    expect(await decryptedBy(newer)).toBe(second);
    expect(await decryptedBy(await encrypt(key.KeyId))).toBe(third);
    expect((await t.call('GenerateDataKey', { KeyId: key.KeyId, NumberOfBytes: 32 })).KeyMaterialId).toBe(third);
  });

  it('ListKeyRotations names each rotation\'s material; ALL_KEY_MATERIAL adds the first, with no rotation date or type; only the newest is CURRENT', async () => {
    const key = await newKey();
    const first = key.CurrentKeyMaterialId!;
    t.clock.now += 1000;
    const rotatedAt = t.clock.now;
    await t.call('RotateKeyOnDemand', { KeyId: key.KeyId });
    const second = (await current(key.KeyId))!;
    expect((await t.call('ListKeyRotations', { KeyId: key.KeyId })).Rotations).toEqual([
      { KeyId: key.Arn, KeyMaterialId: second, KeyMaterialState: 'CURRENT', RotationDate: new Date(rotatedAt), RotationType: 'ON_DEMAND' },
    ]);
    expect((await t.call('ListKeyRotations', { KeyId: key.KeyId, IncludeKeyMaterial: 'ROTATIONS_ONLY' })).Rotations.map((r) => r.KeyMaterialId)).toEqual([second]);
    expect(await allMaterial(key.KeyId)).toEqual([
      { KeyId: key.Arn, KeyMaterialId: first, KeyMaterialState: 'NON_CURRENT' },
      { KeyId: key.Arn, KeyMaterialId: second, KeyMaterialState: 'CURRENT', RotationDate: new Date(rotatedAt), RotationType: 'ON_DEMAND' },
    ]);
    // paged by version, the first material included
    const p1 = await t.call('ListKeyRotations', { KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Limit: 1 });
    const p2 = await t.call('ListKeyRotations', { KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Limit: 1, Marker: p1.NextMarker! });
    expect([...p1.Rotations, ...p2.Rotations].map((r) => r.KeyMaterialId)).toEqual([first, second]);
    expect(p2.Truncated).toBe(false);
  });
});

describe('ReEncrypt', () => {
  it('names the source ciphertext\'s material and the destination key\'s current material', async () => {
    const source = await newKey();
    const old = await encrypt(source.KeyId, 'moving');
    await t.call('RotateKeyOnDemand', { KeyId: source.KeyId });
    const dest = await newKey();
    const out = await t.call('ReEncrypt', { CiphertextBlob: old, DestinationKeyId: dest.KeyId });
    expect(out).toMatchObject({ SourceKeyMaterialId: source.CurrentKeyMaterialId, DestinationKeyMaterialId: dest.CurrentKeyMaterialId });
    expect(await decryptedBy(out.CiphertextBlob)).toBe(dest.CurrentKeyMaterialId);
    // onto the same key: from its old material to its current one
    const same = await t.call('ReEncrypt', { CiphertextBlob: old, DestinationKeyId: source.KeyId });
    expect(same.SourceKeyMaterialId).toBe(source.CurrentKeyMaterialId);
    expect(same.DestinationKeyMaterialId).toBe(await current(source.KeyId));
  });

  it('names no material on the side of an RSA key (symmetric keys only, as AWS)', async () => {
    const sym = await newKey();
    const rsa = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const toRsa = await t.call('ReEncrypt', { CiphertextBlob: await encrypt(sym.KeyId), DestinationKeyId: rsa.KeyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(toRsa.SourceKeyMaterialId).toBe(sym.CurrentKeyMaterialId);
    expect(toRsa).not.toHaveProperty('DestinationKeyMaterialId');
    const back = await t.call('ReEncrypt', {
      CiphertextBlob: toRsa.CiphertextBlob,
      SourceKeyId: rsa.KeyId,
      SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      DestinationKeyId: sym.KeyId,
    });
    expect(back).not.toHaveProperty('SourceKeyMaterialId');
    expect(back.DestinationKeyMaterialId).toBe(sym.CurrentKeyMaterialId);
    const dec = await t.call('Decrypt', { CiphertextBlob: toRsa.CiphertextBlob, KeyId: rsa.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(dec).not.toHaveProperty('KeyMaterialId');
  });
});

describe('keys that are not symmetric encryption keys', () => {
  it('have no CurrentKeyMaterialId, and ListKeyRotations refuses IncludeKeyMaterial', async () => {
    for (const input of [
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' },
      { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
      { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
    ] as const) {
      const key = await newKey(input);
      expect(key).not.toHaveProperty('CurrentKeyMaterialId');
      expect((await t.call('DescribeKey', { KeyId: key.KeyId })).KeyMetadata).not.toHaveProperty('CurrentKeyMaterialId');
      await refused(t.call('ListKeyRotations', { KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }), 'UnsupportedOperationException');
      expect((await t.call('ListKeyRotations', { KeyId: key.KeyId })).Rotations).toEqual([]);
    }
  });
});

describe('imported material (Origin EXTERNAL)', () => {
  it('ImportKeyMaterial returns the key ARN and the material\'s id; DescribeKey, Decrypt and ListKeyRotations name it', async () => {
    const key = await newKey({ Origin: 'EXTERNAL' });
    expect(key).not.toHaveProperty('CurrentKeyMaterialId');
    expect(await allMaterial(key.KeyId)).toEqual([]);
    const ValidTo = new Date(t.clock.now + 30 * 86_400_000);
    const out = await importMaterial(t, key.KeyId, randomBytes(32), { ValidTo });
    expect(out).toEqual({ KeyId: key.Arn, KeyMaterialId: expect.stringMatching(ID) });
    expect(await current(key.KeyId)).toBe(out.KeyMaterialId);
    expect(await decryptedBy(await encrypt(key.KeyId))).toBe(out.KeyMaterialId);
    expect((await t.call('ListKeyRotations', { KeyId: key.KeyId })).Rotations).toEqual([]);
    expect(await allMaterial(key.KeyId)).toEqual([
      { KeyId: key.Arn, KeyMaterialId: out.KeyMaterialId, ImportState: 'IMPORTED', KeyMaterialState: 'CURRENT', ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo },
    ]);
  });

  it('the same material has the same id after DeleteImportedKeyMaterial and a re-import; the key waits PENDING_IMPORT for that id', async () => {
    const material = randomBytes(32);
    const key = await newKey({ Origin: 'EXTERNAL' });
    const { KeyMaterialId } = await importMaterial(t, key.KeyId, material);
    const blob = await encrypt(key.KeyId);
    // re-importing while imported: same id
    expect((await importMaterial(t, key.KeyId, material)).KeyMaterialId).toBe(KeyMaterialId);
    expect(await t.call('DeleteImportedKeyMaterial', { KeyId: key.KeyId })).toEqual({ KeyId: key.Arn, KeyMaterialId });
    expect(await current(key.KeyId)).toBe(KeyMaterialId);
    expect(await allMaterial(key.KeyId)).toEqual([{ KeyId: key.Arn, KeyMaterialId, ImportState: 'PENDING_IMPORT', KeyMaterialState: 'CURRENT' }]);
    expect(await importMaterial(t, key.KeyId, material)).toEqual({ KeyId: key.Arn, KeyMaterialId });
    expect(await decryptedBy(blob)).toBe(KeyMaterialId);
  });

  it('depends on the key and on the vault\'s secret, not on the material alone: the same material in two keys has two ids, neither a plain hash of it', async () => {
    const material = randomBytes(32);
    const a = await newKey({ Origin: 'EXTERNAL' });
    const b = await newKey({ Origin: 'EXTERNAL' });
    const idA = (await importMaterial(t, a.KeyId, material)).KeyMaterialId!;
    const idB = (await importMaterial(t, b.KeyId, material)).KeyMaterialId!;
    expect(idA).not.toBe(idB);
    const sha = (...parts: (string | Buffer)[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');
    for (const guess of [sha(material), sha(a.KeyId, material), sha(a.KeyId, Buffer.from([0]), material), sha(a.Arn, material)]) expect(idA).not.toBe(guess);
  });

  it('asymmetric and HMAC imports return the key ARN but no material id (symmetric encryption keys only)', async () => {
    const hmac = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Origin: 'EXTERNAL' });
    expect(await importMaterial(t, hmac.KeyId, randomBytes(32))).toEqual({ KeyId: hmac.Arn });
    expect(await t.call('DeleteImportedKeyMaterial', { KeyId: hmac.KeyId })).toEqual({ KeyId: hmac.Arn });
    const ec = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' });
    const pkcs8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    expect(await importMaterial(t, ec.KeyId, pkcs8)).toEqual({ KeyId: ec.Arn });
    expect((await t.call('DescribeKey', { KeyId: ec.KeyId })).KeyMetadata).not.toHaveProperty('CurrentKeyMaterialId');
  });

  it('DeleteImportedKeyMaterial of a key never imported into names no material', async () => {
    const key = await newKey({ Origin: 'EXTERNAL' });
    expect(await t.call('DeleteImportedKeyMaterial', { KeyId: key.KeyId })).toEqual({ KeyId: key.Arn });
  });
});

describe('a stored material row without an id', () => {
  it('is refused, named, never used without one', async () => {
    const key = await newKey();
    const blob = await encrypt(key.KeyId);
    const v = await t.reopen();
    sqlite(t, `UPDATE key_materials SET material_id = NULL WHERE key_id = '${key.KeyId}'`);
    const admin = await v.service.signIn({ userName: 'admin', passphrase: 'correct horse battery staple', region: 'local-1', source: 'sdk' });
    const e = await refused(v.service.call(admin, 'Decrypt', { CiphertextBlob: blob }), 'KMSInternalException');
    expect(e.message).toMatch(/has no key material id/);
  });
});
