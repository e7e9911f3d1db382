// CreateKey for every asymmetric spec and usage, DescribeKey's algorithm
// fields, GetPublicKey, and Sign/Verify with every algorithm and message
// type AWS allows — each checked against node:crypto or @noble directly on
// the public key — and every refusal with its AWS exception.
import { createHash, createPublicKey, verify as nodeVerify, constants } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { parseSecp256k1Spki } from '../../../main/core/kms/asymmetric/secp256k1.js';
import type { KeySpec, KeyUsage, MessageType, SigningAlgorithm } from '../../../main/api/enums.js';
import { refused } from '../../support/kms.js';
import { mlDsaPublicKey } from '../../support/spki.js';
import { makeVault, type TestVault } from '../../support/vault.js';

let t: TestVault;
const keys: Record<string, { KeyId: string; Arn: string }> = {};
const SIGNING_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'] as const;

beforeAll(async () => {
  t = await makeVault();
  await Promise.all(
    SIGNING_SPECS.map(async (KeySpec) => {
      keys[KeySpec] = (await t.call('CreateKey', { KeySpec, KeyUsage: 'SIGN_VERIFY' })).KeyMetadata;
    }),
  );
  keys['SYMMETRIC'] = (await t.call('CreateKey', {})).KeyMetadata;
  keys['RSA_ENC'] = (await t.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })).KeyMetadata;
  keys['P256_KA'] = (await t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' })).KeyMetadata;
}, 120_000);
afterAll(() => t.close());

const msg = Buffer.from('Partners verify this with the tools they already have.');
const hash = (alg: string, m: Uint8Array) => createHash(alg).update(m).digest();
const spki = async (spec: string) => Buffer.from((await t.call('GetPublicKey', { KeyId: keys[spec]!.KeyId })).PublicKey);
const sign = async (spec: string, SigningAlgorithm: SigningAlgorithm, Message: Uint8Array, MessageType: MessageType = 'RAW') =>
  Buffer.from((await t.call('Sign', { KeyId: keys[spec]!.KeyId, Message, MessageType, SigningAlgorithm })).Signature);
const verify = (spec: string, SigningAlgorithm: SigningAlgorithm, Message: Uint8Array, Signature: Uint8Array, MessageType: MessageType = 'RAW') =>
  t.call('Verify', { KeyId: keys[spec]!.KeyId, Message, MessageType, Signature, SigningAlgorithm });

describe('CreateKey key specs and usages', () => {
  it('describes each signing key with its SigningAlgorithms and no EncryptionAlgorithms', async () => {
    const expected: Record<string, string[]> = {
      // AWS's order (main/api/key-specs.ts): PKCS #1 v1.5, then PSS
      RSA_2048: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'],
      ECC_NIST_P256: ['ECDSA_SHA_256'],
      ECC_NIST_P384: ['ECDSA_SHA_384'],
      ECC_NIST_P521: ['ECDSA_SHA_512'],
      ECC_SECG_P256K1: ['ECDSA_SHA_256'],
      ECC_NIST_EDWARDS25519: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
      ML_DSA_65: ['ML_DSA_SHAKE_256'],
    };
    for (const [spec, algs] of Object.entries(expected)) {
      const { KeyMetadata } = await t.call('DescribeKey', { KeyId: keys[spec]!.KeyId });
      expect(KeyMetadata).toMatchObject({ KeySpec: spec, CustomerMasterKeySpec: spec, KeyUsage: 'SIGN_VERIFY', KeyState: 'Enabled', Origin: 'AWS_KMS', SigningAlgorithms: algs });
      expect(KeyMetadata.EncryptionAlgorithms).toBeUndefined();
      expect(KeyMetadata.MacAlgorithms).toBeUndefined();
    }
    const rsaEnc = (await t.call('DescribeKey', { KeyId: keys['RSA_ENC']!.KeyId })).KeyMetadata;
    expect(rsaEnc.EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    expect(rsaEnc.SigningAlgorithms).toBeUndefined();
    const ka = (await t.call('DescribeKey', { KeyId: keys['P256_KA']!.KeyId })).KeyMetadata;
    expect(ka.KeyAgreementAlgorithms).toEqual(['ECDH']);
  });

  it('refuses every spec/usage combination AWS refuses, with ValidationException', async () => {
    const bad: [KeySpec, KeyUsage | undefined][] = [
      ['RSA_2048', undefined], // KeyUsage defaults to ENCRYPT_DECRYPT: fine for RSA
      ['RSA_2048', 'KEY_AGREEMENT'],
      ['RSA_2048', 'GENERATE_VERIFY_MAC'],
      ['ECC_NIST_P256', undefined],
      ['ECC_NIST_P256', 'ENCRYPT_DECRYPT'],
      ['ECC_SECG_P256K1', 'KEY_AGREEMENT'],
      ['ECC_NIST_EDWARDS25519', 'KEY_AGREEMENT'],
      ['ECC_X25519', 'SIGN_VERIFY'],
      ['ML_DSA_44', 'ENCRYPT_DECRYPT'],
      ['HMAC_256', undefined],
      ['HMAC_256', 'SIGN_VERIFY'],
      ['SYMMETRIC_DEFAULT', 'SIGN_VERIFY'],
      ['SYMMETRIC_DEFAULT', 'GENERATE_VERIFY_MAC'],
    ];
    for (const [KeySpec, KeyUsage] of bad.slice(1)) {
      const e = await refused(t.call('CreateKey', { KeySpec, ...(KeyUsage ? { KeyUsage } : {}) }), 'ValidationException');
      expect(e.message).toContain(KeySpec);
    }
    await refused(t.dispatch('CreateKey', { KeySpec: 'RSA_1024', KeyUsage: 'SIGN_VERIFY' }), 'ValidationException');
    await refused(t.dispatch('CreateKey', { KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' }), 'ValidationException');
  });

  it('accepts the deprecated CustomerMasterKeySpec', async () => {
    const { KeyMetadata } = await t.call('CreateKey', { CustomerMasterKeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(KeyMetadata.KeySpec).toBe('ECC_NIST_P256');
  });
});

describe('GetPublicKey', () => {
  it('returns DER SubjectPublicKeyInfo that node:crypto parses, with spec, usage and algorithms', async () => {
    for (const spec of ['RSA_2048', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_NIST_EDWARDS25519'] as const) {
      const out = await t.call('GetPublicKey', { KeyId: keys[spec]!.KeyId });
      expect(out).toMatchObject({ KeyId: keys[spec]!.Arn, KeySpec: spec, CustomerMasterKeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
      expect(out.SigningAlgorithms?.length ?? 0).toBeGreaterThan(0);
      const k = createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' });
      expect(k.type).toBe('public');
    }
    expect(parseSecp256k1Spki(await spki('ECC_SECG_P256K1'))).toHaveLength(65);
    expect(mlDsaPublicKey('ML_DSA_87', await spki('ML_DSA_87'))).toHaveLength(2592);
  });

  it('refuses symmetric keys (UnsupportedOperationException) and disabled keys (DisabledException)', async () => {
    await refused(t.call('GetPublicKey', { KeyId: keys['SYMMETRIC']!.KeyId }), 'UnsupportedOperationException');
    const k = (await t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata;
    await t.call('DisableKey', { KeyId: k.KeyId });
    await refused(t.call('GetPublicKey', { KeyId: k.KeyId }), 'DisabledException');
    await refused(t.call('Sign', { KeyId: k.KeyId, Message: msg, SigningAlgorithm: 'ECDSA_SHA_256' }), 'DisabledException');
  });
});

describe('Sign and Verify', () => {
  const rsaAlgs = ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'] as const;

  it('RSA: every algorithm, RAW and DIGEST, verifies with node:crypto and with Verify', async () => {
    for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096']) {
      const pub = createPublicKey({ key: await spki(spec), format: 'der', type: 'spki' });
      for (const alg of rsaAlgs) {
        const h = `sha${alg.slice(-3)}`;
        const pss = alg.includes('PSS');
        const opts = pss ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(-3)) / 8 } : { key: pub, padding: constants.RSA_PKCS1_PADDING };
        const raw = await sign(spec, alg, msg);
        const dig = await sign(spec, alg, hash(h, msg), 'DIGEST');
        expect(raw.length).toBe(Number(spec.slice(4)) / 8);
        expect(nodeVerify(h, msg, opts, raw), `${spec} ${alg} RAW`).toBe(true);
        expect(nodeVerify(h, msg, opts, dig), `${spec} ${alg} DIGEST`).toBe(true);
        if (!pss) expect(raw.equals(dig)).toBe(true); // PKCS#1 v1.5 is deterministic
        // and Verify accepts each form either way round
        expect((await verify(spec, alg, msg, dig)).SignatureValid).toBe(true);
        expect((await verify(spec, alg, hash(h, msg), raw, 'DIGEST')).SignatureValid).toBe(true);
      }
    }
  });

  it('ECDSA on the NIST curves: RAW and DIGEST give DER signatures node:crypto verifies', async () => {
    for (const [spec, alg, h] of [
      ['ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256'],
      ['ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384'],
      ['ECC_NIST_P521', 'ECDSA_SHA_512', 'sha512'],
    ] as const) {
      const pub = createPublicKey({ key: await spki(spec), format: 'der', type: 'spki' });
      const raw = await sign(spec, alg, msg);
      const dig = await sign(spec, alg, hash(h, msg), 'DIGEST');
      expect(raw[0]).toBe(0x30);
      expect(nodeVerify(h, msg, { key: pub, dsaEncoding: 'der' }, raw)).toBe(true);
      expect(nodeVerify(h, msg, { key: pub, dsaEncoding: 'der' }, dig)).toBe(true);
      expect((await verify(spec, alg, hash(h, msg), raw, 'DIGEST')).SignatureValid).toBe(true);
      expect((await verify(spec, alg, msg, dig)).SignatureValid).toBe(true);
    }
  });

  it('secp256k1: low-S DER signatures @noble/curves verifies; Verify accepts the high-S twin too', async () => {
    const point = parseSecp256k1Spki(await spki('ECC_SECG_P256K1'));
    const raw = await sign('ECC_SECG_P256K1', 'ECDSA_SHA_256', msg);
    const dig = await sign('ECC_SECG_P256K1', 'ECDSA_SHA_256', hash('sha256', msg), 'DIGEST');
    expect(raw.equals(dig)).toBe(true); // RFC 6979
    expect(secp256k1.verify(raw, hash('sha256', msg), point, { prehash: false, format: 'der', lowS: true })).toBe(true);
    const sig = secp256k1.Signature.fromBytes(raw, 'der');
    const highS = new secp256k1.Signature(sig.r, secp256k1.Point.Fn.neg(sig.s)).toBytes('der');
    expect((await verify('ECC_SECG_P256K1', 'ECDSA_SHA_256', msg, highS)).SignatureValid).toBe(true);
  });

  it('Ed25519: ED25519_SHA_512 over RAW (node:crypto), ED25519_PH_SHA_512 over a SHA-512 DIGEST (RFC 8032 Ed25519ph)', async () => {
    const pubDer = await spki('ECC_NIST_EDWARDS25519');
    const pub = createPublicKey({ key: pubDer, format: 'der', type: 'spki' });
    const raw = await sign('ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', msg);
    expect(nodeVerify(null, msg, pub, raw)).toBe(true);
    const ph = await sign('ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', hash('sha512', msg), 'DIGEST');
    // @noble's own Ed25519ph hashes the message itself: the same signature
    expect(ed25519ph.verify(ph, msg, pubDer.subarray(12))).toBe(true);
    expect(nodeVerify(null, msg, pub, ph)).toBe(false);
    expect((await verify('ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', hash('sha512', msg), ph, 'DIGEST')).SignatureValid).toBe(true);
  });

  it('ML-DSA: RAW (pure ML-DSA, empty context) and EXTERNAL_MU verify with @noble/post-quantum', async () => {
    for (const [spec, impl] of [
      ['ML_DSA_44', ml_dsa44],
      ['ML_DSA_65', ml_dsa65],
      ['ML_DSA_87', ml_dsa87],
    ] as const) {
      const pk = mlDsaPublicKey(spec, await spki(spec));
      const sig = await sign(spec, 'ML_DSA_SHAKE_256', msg);
      expect(sig.length).toBe(impl.lengths.signature);
      expect(impl.verify(sig, msg, pk)).toBe(true);
      // μ = SHAKE256(SHAKE256(pk, 64) ‖ 0 ‖ 0 ‖ M, 64) (FIPS 204 Algorithm 2 with ctx = "")
      const tr = shake256(pk, { dkLen: 64 });
      const mu = shake256.create({ dkLen: 64 }).update(tr).update(new Uint8Array([0, 0])).update(msg).digest();
      const muCopy = Buffer.from(mu);
      const sigMu = await sign(spec, 'ML_DSA_SHAKE_256', mu, 'EXTERNAL_MU');
      expect(Buffer.from(mu).equals(muCopy), 'Sign leaves the caller\'s Message as it was').toBe(true);
      expect(impl.verify(sigMu, msg, pk)).toBe(true);
      expect((await verify(spec, 'ML_DSA_SHAKE_256', mu, sig, 'EXTERNAL_MU')).SignatureValid).toBe(true);
    }
  });

  it('Verify returns the key ARN and algorithm; a wrong signature, message or algorithm is KMSInvalidSignatureException', async () => {
    const sig = await sign('ECC_NIST_P256', 'ECDSA_SHA_256', msg);
    expect(await verify('ECC_NIST_P256', 'ECDSA_SHA_256', msg, sig)).toEqual({ KeyId: keys['ECC_NIST_P256']!.Arn, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' });
    const flipped = Buffer.from(sig);
    flipped[flipped.length - 1]! ^= 1;
    await refused(verify('ECC_NIST_P256', 'ECDSA_SHA_256', msg, flipped), 'KMSInvalidSignatureException');
    await refused(verify('ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.from('another message'), sig), 'KMSInvalidSignatureException');
    await refused(verify('ECC_NIST_P256', 'ECDSA_SHA_256', msg, Buffer.from('not DER at all')), 'KMSInvalidSignatureException');
    const pss = await sign('RSA_2048', 'RSASSA_PSS_SHA_256', msg);
    await refused(verify('RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', msg, pss), 'KMSInvalidSignatureException');
    await refused(verify('RSA_2048', 'RSASSA_PSS_SHA_256', msg, pss.subarray(1)), 'KMSInvalidSignatureException');
    await refused(verify('RSA_2048', 'RSASSA_PSS_SHA_256', msg, pss, 'DIGEST'), 'ValidationException');
    const ed = await sign('ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', msg);
    await refused(verify('ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', msg, Buffer.concat([ed, Buffer.from([0])])), 'KMSInvalidSignatureException');
    const ml = await sign('ML_DSA_44', 'ML_DSA_SHAKE_256', msg);
    await refused(verify('ML_DSA_44', 'ML_DSA_SHAKE_256', Buffer.from('x'), ml), 'KMSInvalidSignatureException');
  });

  it('messages: RAW up to 4096 bytes; DIGEST exactly the digest length; each rule break is ValidationException', async () => {
    await sign('ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.alloc(4096, 7));
    await refused(sign('ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.alloc(4097, 7)), 'ValidationException');
    await refused(sign('ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.alloc(0)), 'ValidationException');
    await refused(sign('ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.alloc(31), 'DIGEST'), 'ValidationException');
    await refused(sign('ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.alloc(33), 'DIGEST'), 'ValidationException');
    await refused(sign('RSA_2048', 'RSASSA_PSS_SHA_512', Buffer.alloc(32), 'DIGEST'), 'ValidationException');
    await refused(sign('ECC_NIST_P384', 'ECDSA_SHA_384', Buffer.alloc(32), 'DIGEST'), 'ValidationException');
    await refused(sign('ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', Buffer.alloc(64), 'DIGEST'), 'ValidationException');
    await refused(sign('ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', msg, 'RAW'), 'ValidationException');
    await refused(sign('ML_DSA_44', 'ML_DSA_SHAKE_256', Buffer.alloc(64), 'DIGEST'), 'ValidationException');
    await refused(sign('ML_DSA_44', 'ML_DSA_SHAKE_256', Buffer.alloc(32), 'EXTERNAL_MU'), 'ValidationException');
    await refused(sign('ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.alloc(64), 'EXTERNAL_MU'), 'ValidationException');
    await refused(t.dispatch('Sign', { KeyId: keys['ECC_NIST_P256']!.KeyId, Message: msg, SigningAlgorithm: 'ECDSA_SHA_256', MessageType: 'HASHED' }), 'ValidationException');
    await refused(t.dispatch('Sign', { KeyId: keys['ECC_NIST_P256']!.KeyId, Message: msg }), 'ValidationException');
  });

  it('an algorithm of another spec, or a key of another usage, is InvalidKeyUsageException', async () => {
    await refused(sign('ECC_NIST_P256', 'ECDSA_SHA_384', msg), 'InvalidKeyUsageException');
    await refused(sign('ECC_NIST_P384', 'ECDSA_SHA_256', msg), 'InvalidKeyUsageException');
    await refused(sign('RSA_2048', 'ECDSA_SHA_256', msg), 'InvalidKeyUsageException');
    await refused(sign('ECC_SECG_P256K1', 'ED25519_SHA_512', msg), 'InvalidKeyUsageException');
    await refused(sign('ML_DSA_44', 'RSASSA_PSS_SHA_256', msg), 'InvalidKeyUsageException');
    await refused(sign('RSA_ENC', 'RSASSA_PSS_SHA_256', msg), 'InvalidKeyUsageException');
    await refused(sign('SYMMETRIC', 'RSASSA_PSS_SHA_256', msg), 'InvalidKeyUsageException');
    await refused(sign('P256_KA', 'ECDSA_SHA_256', msg), 'InvalidKeyUsageException');
    await refused(t.call('Encrypt', { KeyId: keys['ECC_NIST_P256']!.KeyId, Plaintext: msg }), 'InvalidKeyUsageException');
  });

  it('asymmetric and signing keys do not rotate (UnsupportedOperationException)', async () => {
    await refused(t.call('EnableKeyRotation', { KeyId: keys['ECC_NIST_P256']!.KeyId }), 'UnsupportedOperationException');
    await refused(t.call('RotateKeyOnDemand', { KeyId: keys['RSA_ENC']!.KeyId }), 'UnsupportedOperationException');
  });

  it('signs through an alias, and many signatures in parallel all verify', async () => {
    await t.call('CreateAlias', { AliasName: 'alias/signer', TargetKeyId: keys['ECC_NIST_P256']!.KeyId });
    const pub = createPublicKey({ key: await spki('ECC_NIST_P256'), format: 'der', type: 'spki' });
    const sigs = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const m = Buffer.from(`message ${i}`);
        const { Signature, KeyId } = await t.call('Sign', { KeyId: 'alias/signer', Message: m, SigningAlgorithm: 'ECDSA_SHA_256' });
        expect(KeyId).toBe(keys['ECC_NIST_P256']!.Arn);
        return nodeVerify('sha256', m, { key: pub, dsaEncoding: 'der' }, Signature);
      }),
    );
    expect(sigs.every(Boolean)).toBe(true);
  });
});
