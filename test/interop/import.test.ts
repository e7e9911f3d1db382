// Key import wrapped with the real openssl exactly as AWS's import
// documentation shows ("Importing key material step 3: Encrypt the key
// material"): `openssl pkeyutl -encrypt … rsa_oaep_md:sha256` for
// RSAES_OAEP_SHA_*, and `openssl enc -id-aes256-wrap-pad -iv A65959A6` +
// `openssl pkeyutl` for RSA_AES_KEY_WRAP_SHA_*. Then the imported key and
// openssl holding the same material produce the same results: openssl
// signatures verify in Strongroom (RSA-PSS, PKCS#1 v1.5, ECDSA P-256/384/521
// and secp256k1, Ed25519), Strongroom's verify in openssl, deterministic
// signatures and MACs are byte-identical, and ECDH agrees.
import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_ALGORITHMS, type KeySpec, type KeyUsage, type WrappingAlgorithm, type WrappingKeySpec } from '../../main/api/enums.js';
import { canonicalContext } from '../../main/core/codecs/encryption-context.js';
import { oneOf } from '../support/one-of.js';
import { makeVault, type TestVault } from '../support/vault.js';
import { openssl, Scratch } from './tools.js';

let t: TestVault;
let s: Scratch;
beforeAll(async () => {
  t = await makeVault();
  s = await Scratch.create('import');
  await s.write('msg.bin', MESSAGE);
});
afterAll(async () => {
  await t.close();
  await s.remove();
});

const MESSAGE = Buffer.from('Signed by the partner and by the vault with the same key.\n');

/** Steps 2–4 of AWS's import procedure, the wrapping done by openssl. */
async function importWithOpenssl(KeyId: string, materialFile: string, WrappingAlgorithm: WrappingAlgorithm, WrappingKeySpec: WrappingKeySpec = 'RSA_4096', name = KeyId): Promise<void> {
  const p = await t.call('GetParametersForImport', { KeyId, WrappingAlgorithm, WrappingKeySpec });
  const pub = await s.write(`${name}-PublicKey.bin`, p.PublicKey);
  const md = WrappingAlgorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const oaep = ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${md}`, '-pkeyopt', `rsa_mgf1_md:${md}`];
  const encrypted = s.path(`${name}-EncryptedKeyMaterial.bin`);
  if (WrappingAlgorithm.startsWith('RSAES_OAEP')) {
    await openssl(['pkeyutl', '-encrypt', '-in', materialFile, '-out', encrypted, '-inkey', pub, '-keyform', 'DER', '-pubin', ...oaep]);
  } else {
    const aesKey = s.path(`${name}-aes-key.bin`);
    await openssl(['rand', '-out', aesKey, '32']);
    const hexKey = (await s.read(`${name}-aes-key.bin`)).toString('hex'); // $(xxd -p < aes-key.bin | tr -d '\n')
    await openssl(['enc', '-id-aes256-wrap-pad', '-K', hexKey, '-iv', 'A65959A6', '-in', materialFile, '-out', s.path(`${name}-key-material-wrapped.bin`)]);
    await openssl(['pkeyutl', '-encrypt', '-in', aesKey, '-out', s.path(`${name}-aes-key-wrapped.bin`), '-inkey', pub, '-keyform', 'DER', '-pubin', ...oaep]);
    await s.write(`${name}-EncryptedKeyMaterial.bin`, Buffer.concat([await s.read(`${name}-aes-key-wrapped.bin`), await s.read(`${name}-key-material-wrapped.bin`)]));
  }
  await t.call('ImportKeyMaterial', {
    KeyId,
    ImportToken: p.ImportToken,
    EncryptedKeyMaterial: await s.read(`${name}-EncryptedKeyMaterial.bin`),
    ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
  });
}

/** openssl genpkey + `openssl pkcs8 -topk8 -outform der -nocrypt`, as AWS's docs generate test material. */
async function genPrivateKey(name: string, genArgs: string[]): Promise<string> {
  const pem = s.path(`${name}.pem`);
  await openssl(['genpkey', ...genArgs, '-out', pem]);
  await openssl(['pkey', '-in', pem, '-pubout', '-out', s.path(`${name}.pub.pem`)]);
  const der = s.path(`${name}.der`);
  await openssl(['pkcs8', '-topk8', '-outform', 'der', '-nocrypt', '-in', pem, '-out', der]);
  return der;
}

const external = async (KeySpec: KeySpec, KeyUsage: KeyUsage) => (await t.call('CreateKey', { KeySpec, KeyUsage, Origin: 'EXTERNAL' })).KeyMetadata.KeyId as string;

describe('symmetric material from `openssl rand`', () => {
  for (const alg of ['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1'] as const) {
    it(`${alg}: imports, and ciphertexts open with the same material outside`, async () => {
      const KeyId = await external('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
      await openssl(['rand', '-out', s.path(`${alg}-PlaintextKeyMaterial.bin`), '32']);
      await importWithOpenssl(KeyId, s.path(`${alg}-PlaintextKeyMaterial.bin`), alg, alg.endsWith('SHA_1') ? 'RSA_2048' : 'RSA_4096');
      const material = await s.read(`${alg}-PlaintextKeyMaterial.bin`);
      const ec = { partner: 'acme' };
      const { CiphertextBlob } = await t.call('Encrypt', { KeyId, Plaintext: MESSAGE, EncryptionContext: ec });
      const b = Buffer.from(CiphertextBlob);
      const d = createDecipheriv('aes-256-gcm', material, b.subarray(21, 33));
      d.setAAD(Buffer.concat([b.subarray(0, 33), canonicalContext(ec)]));
      d.setAuthTag(b.subarray(b.length - 16));
      expect(Buffer.concat([d.update(b.subarray(33, b.length - 16)), d.final()]).equals(MESSAGE)).toBe(true);
    });
  }
});

describe('asymmetric material from `openssl genpkey` + `openssl pkcs8 -topk8`', () => {
  it('RSA_2048 via RSA_AES_KEY_WRAP_SHA_256: PKCS#1 v1.5 signatures are identical; PSS verifies both ways', async () => {
    const KeyId = await external('RSA_2048', 'SIGN_VERIFY');
    await importWithOpenssl(KeyId, await genPrivateKey('rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']), 'RSA_AES_KEY_WRAP_SHA_256');
    const msg = s.path('msg.bin');
    // PKCS#1 v1.5: deterministic, so byte-identical
    const theirs = (await openssl(['dgst', '-sha256', '-sign', s.path('rsa.pem'), msg])).stdout;
    const ours = (await t.call('Sign', { KeyId, Message: MESSAGE, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })).Signature;
    expect(Buffer.from(ours).equals(theirs)).toBe(true);
    expect((await t.call('Verify', { KeyId, Message: MESSAGE, Signature: theirs, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })).SignatureValid).toBe(true);
    // PSS, salt = digest length: openssl → Strongroom and back
    for (const bits of ['256', '384', '512'] as const) {
      const pss = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'];
      const sig = (await openssl(['dgst', `-sha${bits}`, ...pss, '-sign', s.path('rsa.pem'), msg])).stdout;
      expect((await t.call('Verify', { KeyId, Message: MESSAGE, Signature: sig, SigningAlgorithm: `RSASSA_PSS_SHA_${bits}` })).SignatureValid).toBe(true);
      const mine = await s.write(`pss${bits}.sig`, (await t.call('Sign', { KeyId, Message: MESSAGE, SigningAlgorithm: `RSASSA_PSS_SHA_${bits}` })).Signature);
      const r = await openssl(['dgst', `-sha${bits}`, ...pss, '-verify', s.path('rsa.pub.pem'), '-signature', mine, msg]);
      expect(r.stdout.toString()).toContain('Verified OK');
    }
  });

  it('RSA_3072 ENCRYPT_DECRYPT via RSA_AES_KEY_WRAP_SHA_1: openssl OAEP ciphertexts decrypt; vault ciphertexts decrypt in openssl', async () => {
    const KeyId = await external('RSA_3072', 'ENCRYPT_DECRYPT');
    await importWithOpenssl(KeyId, await genPrivateKey('rsaenc', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072']), 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048');
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId, Plaintext: Buffer.from('for openssl'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    const ct = await s.write('vault.ct', CiphertextBlob);
    const pt = await openssl(['pkeyutl', '-decrypt', '-inkey', s.path('rsaenc.pem'), '-in', ct, '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256']);
    expect(pt.stdout.toString()).toBe('for openssl');
    const theirs = s.path('openssl.ct');
    await openssl(['pkeyutl', '-encrypt', '-inkey', s.path('rsaenc.pem'), '-in', s.path('msg.bin'), '-out', theirs, '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1']);
    const { Plaintext } = await t.call('Decrypt', { KeyId, CiphertextBlob: await s.read('openssl.ct'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' });
    expect(Buffer.from(Plaintext).equals(MESSAGE)).toBe(true);
  });

  for (const [spec, curve, hash] of [
    ['ECC_NIST_P256', 'P-256', 'sha256'],
    ['ECC_NIST_P384', 'P-384', 'sha384'],
    ['ECC_NIST_P521', 'P-521', 'sha512'],
    ['ECC_SECG_P256K1', 'secp256k1', 'sha256'],
  ] as const) {
    it(`${spec}: openssl ECDSA signatures verify in Strongroom and Strongroom's in openssl`, async () => {
      const KeyId = await external(spec, 'SIGN_VERIFY');
      const alg = spec === 'ECC_NIST_P521' ? 'RSA_AES_KEY_WRAP_SHA_256' : 'RSAES_OAEP_SHA_256';
      await importWithOpenssl(KeyId, await genPrivateKey(spec, ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-pkeyopt', 'ec_param_enc:named_curve']), alg, 'RSA_2048');
      const SigningAlgorithm = oneOf(SIGNING_ALGORITHMS, `ECDSA_SHA_${hash.slice(3)}`);
      const theirs = (await openssl(['dgst', `-${hash}`, '-sign', s.path(`${spec}.pem`), s.path('msg.bin')])).stdout;
      expect((await t.call('Verify', { KeyId, Message: MESSAGE, Signature: theirs, SigningAlgorithm })).SignatureValid).toBe(true);
      const mine = await s.write(`${spec}.sig`, (await t.call('Sign', { KeyId, Message: MESSAGE, SigningAlgorithm })).Signature);
      const r = await openssl(['dgst', `-${hash}`, '-verify', s.path(`${spec}.pub.pem`), '-signature', mine, s.path('msg.bin')]);
      expect(r.stdout.toString()).toContain('Verified OK');
      // the public key is openssl's
      const der = (await openssl(['pkey', '-pubin', '-in', s.path(`${spec}.pub.pem`), '-outform', 'DER'])).stdout;
      expect(Buffer.from((await t.call('GetPublicKey', { KeyId })).PublicKey).equals(der)).toBe(true);
    });
  }

  it('ECC_NIST_EDWARDS25519 via RSAES_OAEP_SHA_1: Ed25519 signatures are byte-identical to openssl pkeyutl -rawin', async () => {
    const KeyId = await external('ECC_NIST_EDWARDS25519', 'SIGN_VERIFY');
    await importWithOpenssl(KeyId, await genPrivateKey('ed', ['-algorithm', 'ED25519']), 'RSAES_OAEP_SHA_1', 'RSA_2048');
    const theirs = (await openssl(['pkeyutl', '-sign', '-inkey', s.path('ed.pem'), '-rawin', '-in', s.path('msg.bin')])).stdout;
    const ours = (await t.call('Sign', { KeyId, Message: MESSAGE, SigningAlgorithm: 'ED25519_SHA_512' })).Signature;
    expect(Buffer.from(ours).equals(theirs)).toBe(true);
    expect((await t.call('Verify', { KeyId, Message: MESSAGE, Signature: theirs, SigningAlgorithm: 'ED25519_SHA_512' })).SignatureValid).toBe(true);
  });

  it('ECC_X25519 KEY_AGREEMENT: the imported key agrees with openssl on a shared secret', async () => {
    const KeyId = await external('ECC_X25519', 'KEY_AGREEMENT');
    await importWithOpenssl(KeyId, await genPrivateKey('x', ['-algorithm', 'X25519']), 'RSAES_OAEP_SHA_256', 'RSA_2048');
    await genPrivateKey('xpeer', ['-algorithm', 'X25519']);
    const peerDer = (await openssl(['pkey', '-in', s.path('xpeer.pem'), '-pubout', '-outform', 'DER'])).stdout;
    const theirs = (await openssl(['pkeyutl', '-derive', '-inkey', s.path('x.pem'), '-peerkey', s.path('xpeer.pub.pem')])).stdout;
    const { SharedSecret } = await t.call('DeriveSharedSecret', { KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peerDer });
    expect(Buffer.from(SharedSecret).equals(theirs)).toBe(true);
  });

  it('HMAC_256 from `openssl rand 64`: GenerateMac equals `openssl dgst -mac HMAC`', async () => {
    const KeyId = await external('HMAC_256', 'GENERATE_VERIFY_MAC');
    await openssl(['rand', '-out', s.path('hmac.bin'), '64']);
    await importWithOpenssl(KeyId, s.path('hmac.bin'), 'RSAES_OAEP_SHA_256', 'RSA_2048');
    const hexkey = (await s.read('hmac.bin')).toString('hex');
    const theirs = (await openssl(['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${hexkey}`, '-binary', s.path('msg.bin')])).stdout;
    const { Mac } = await t.call('GenerateMac', { KeyId, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(Mac).equals(theirs)).toBe(true);
  });

  it('an RSA key cannot be wrapped with RSAES_OAEP directly (openssl refuses: too large), as AWS says', async () => {
    const KeyId = await external('RSA_2048', 'SIGN_VERIFY');
    await expect(t.call('GetParametersForImport', { KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_4096' })).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
