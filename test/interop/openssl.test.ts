// Interoperability with the real openssl (3.x): Strongroom's signatures
// verify with `openssl dgst -verify` / `openssl pkeyutl -verify` (RSA-PSS,
// PKCS#1 v1.5, ECDSA on every curve incl. secp256k1, Ed25519), openssl's
// OAEP encryption to the exported PEM decrypts in Strongroom, and ECDH with
// an openssl-generated peer key gives the same secret on both sides. (openssl
// signing with vault material → Strongroom Verify is in import.test.ts, the
// only way openssl can hold the same private key.)
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySpec, KeyUsage, SigningAlgorithm } from '../../main/api/enums.js';
import { makeVault, type TestVault } from '../support/vault.js';
import { openssl, Scratch } from './tools.js';

let t: TestVault;
let s: Scratch;
const keys: Record<string, string> = {};

beforeAll(async () => {
  t = await makeVault();
  s = await Scratch.create('openssl');
  const specs: [KeySpec, KeyUsage, string][] = [
    ['RSA_2048', 'SIGN_VERIFY', 'rsa2048'],
    ['RSA_3072', 'SIGN_VERIFY', 'rsa3072'],
    ['RSA_2048', 'ENCRYPT_DECRYPT', 'rsa2048enc'],
    ['RSA_4096', 'ENCRYPT_DECRYPT', 'rsa4096enc'],
    ['ECC_NIST_P256', 'SIGN_VERIFY', 'p256'],
    ['ECC_NIST_P384', 'SIGN_VERIFY', 'p384'],
    ['ECC_NIST_P521', 'SIGN_VERIFY', 'p521'],
    ['ECC_SECG_P256K1', 'SIGN_VERIFY', 'k256'],
    ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', 'ed25519'],
    ['ECC_NIST_P256', 'KEY_AGREEMENT', 'p256ka'],
    ['ECC_NIST_P384', 'KEY_AGREEMENT', 'p384ka'],
    ['ECC_NIST_P521', 'KEY_AGREEMENT', 'p521ka'],
    ['ECC_X25519', 'KEY_AGREEMENT', 'x25519'],
  ];
  await Promise.all(
    specs.map(async ([KeySpec, KeyUsage, name]) => {
      const { KeyMetadata } = await t.call('CreateKey', { KeySpec, KeyUsage });
      keys[name] = KeyMetadata.KeyId;
      const { PublicKey } = await t.call('ExportPublicKey', { KeyId: KeyMetadata.KeyId, Format: 'pem' });
      await s.write(`${name}.pem`, PublicKey);
    }),
  );
  await s.write('msg.bin', MESSAGE);
}, 120_000);
afterAll(async () => {
  await t.close();
  await s.remove();
});

const MESSAGE = Buffer.from('A contract, signed in the vault and checked by a partner with openssl.\n');
const digest = (h: string) => createHash(h).update(MESSAGE).digest();

async function vaultSign(name: string, SigningAlgorithm: SigningAlgorithm, MessageType: 'RAW' | 'DIGEST' = 'RAW'): Promise<string> {
  const h = SigningAlgorithm.startsWith('ED25519') ? 'sha512' : `sha${SigningAlgorithm.slice(-3)}`;
  const Message = MessageType === 'RAW' ? MESSAGE : digest(h);
  const { Signature } = await t.call('Sign', { KeyId: keys[name]!, Message, MessageType, SigningAlgorithm });
  return s.write(`${name}-${SigningAlgorithm}-${MessageType}.sig`, Signature);
}

/** `openssl dgst -verify` prints "Verified OK" and exits 0 only for a good signature. */
async function dgstVerify(name: string, hash: string, sig: string, extra: string[] = []) {
  const r = await openssl([`dgst`, `-${hash}`, ...extra, '-verify', s.path(`${name}.pem`), '-signature', sig, s.path('msg.bin')], { allowFailure: true });
  return r.code === 0 && r.stdout.toString().includes('Verified OK');
}

describe('Strongroom Sign → openssl verify', () => {
  it('RSASSA-PKCS1-v1_5 with SHA-256/384/512, RAW and DIGEST', async () => {
    for (const name of ['rsa2048', 'rsa3072']) {
      for (const bits of ['256', '384', '512'] as const) {
        for (const type of ['RAW', 'DIGEST'] as const) {
          const sig = await vaultSign(name, `RSASSA_PKCS1_V1_5_SHA_${bits}`, type);
          expect(await dgstVerify(name, `sha${bits}`, sig), `${name} sha${bits} ${type}`).toBe(true);
        }
      }
    }
  });

  it('RSASSA-PSS with SHA-256/384/512 (salt = digest length), RAW and DIGEST', async () => {
    for (const bits of ['256', '384', '512'] as const) {
      for (const type of ['RAW', 'DIGEST'] as const) {
        const sig = await vaultSign('rsa2048', `RSASSA_PSS_SHA_${bits}`, type);
        const pss = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest', '-sigopt', `rsa_mgf1_md:sha${bits}`];
        expect(await dgstVerify('rsa2048', `sha${bits}`, sig, pss), `PSS sha${bits} ${type}`).toBe(true);
        // and not as PKCS#1 v1.5
        expect(await dgstVerify('rsa2048', `sha${bits}`, sig)).toBe(false);
      }
    }
  });

  it('ECDSA on P-256, P-384, P-521 and secp256k1, RAW and DIGEST (DER signatures)', async () => {
    for (const [name, alg, hash] of [
      ['p256', 'ECDSA_SHA_256', 'sha256'],
      ['p384', 'ECDSA_SHA_384', 'sha384'],
      ['p521', 'ECDSA_SHA_512', 'sha512'],
      ['k256', 'ECDSA_SHA_256', 'sha256'],
    ] as const) {
      for (const type of ['RAW', 'DIGEST'] as const) {
        const sig = await vaultSign(name!, alg!, type);
        expect(await dgstVerify(name!, hash!, sig), `${name} ${type}`).toBe(true);
      }
      // and pkeyutl over the digest
      const sig = await vaultSign(name!, alg!, 'DIGEST');
      const dgst = await s.write(`${name}.dgst`, digest(hash!));
      const r = await openssl(['pkeyutl', '-verify', '-pubin', '-inkey', s.path(`${name}.pem`), '-in', dgst, '-sigfile', sig], { allowFailure: true });
      expect(r.stdout.toString(), `${name} pkeyutl`).toContain('Signature Verified Successfully');
    }
  });

  it('Ed25519 (ED25519_SHA_512) with openssl pkeyutl -rawin', async () => {
    const sig = await vaultSign('ed25519', 'ED25519_SHA_512');
    const r = await openssl(['pkeyutl', '-verify', '-pubin', '-inkey', s.path('ed25519.pem'), '-rawin', '-in', s.path('msg.bin'), '-sigfile', sig], { allowFailure: true });
    expect(r.stdout.toString()).toContain('Signature Verified Successfully');
    const other = await s.write('other.bin', 'another message');
    const bad = await openssl(['pkeyutl', '-verify', '-pubin', '-inkey', s.path('ed25519.pem'), '-rawin', '-in', other, '-sigfile', sig], { allowFailure: true });
    expect(bad.code).not.toBe(0);
  });

  it('a tampered message fails openssl verification', async () => {
    const sig = await vaultSign('p256', 'ECDSA_SHA_256');
    await s.write('tampered.bin', Buffer.concat([MESSAGE, Buffer.from('!')]));
    const r = await openssl(['dgst', '-sha256', '-verify', s.path('p256.pem'), '-signature', sig, s.path('tampered.bin')], { allowFailure: true });
    expect(r.code).not.toBe(0);
  });
});

describe('openssl pkeyutl -encrypt → Strongroom Decrypt', () => {
  for (const [md, alg] of [
    ['sha256', 'RSAES_OAEP_SHA_256'],
    ['sha1', 'RSAES_OAEP_SHA_1'],
  ] as const) {
    it(`OAEP with ${md} (${alg})`, async () => {
      for (const name of ['rsa2048enc', 'rsa4096enc']) {
        const plaintext = Buffer.from(`a data key for ${name} ${md}: ${'k'.repeat(64)}`);
        const pt = await s.write(`${name}-${md}.pt`, plaintext);
        const ct = s.path(`${name}-${md}.ct`);
        await openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', s.path(`${name}.pem`), '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${md}`, '-in', pt, '-out', ct]);
        const { Plaintext, EncryptionAlgorithm, KeyId } = await t.call('Decrypt', { KeyId: keys[name], CiphertextBlob: await s.read(`${name}-${md}.ct`), EncryptionAlgorithm: alg });
        expect(Buffer.from(Plaintext).equals(plaintext)).toBe(true);
        expect(EncryptionAlgorithm).toBe(alg);
        expect(KeyId).toContain(keys[name]);
        // the other OAEP hash does not decrypt it
        const other = alg === 'RSAES_OAEP_SHA_256' ? 'RSAES_OAEP_SHA_1' : 'RSAES_OAEP_SHA_256';
        await expect(t.call('Decrypt', { KeyId: keys[name], CiphertextBlob: await s.read(`${name}-${md}.ct`), EncryptionAlgorithm: other })).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
      }
    });
  }

  it('Strongroom Encrypt → openssl cannot decrypt without the private key, but the ciphertext is raw OAEP of modulus length', async () => {
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: keys['rsa4096enc']!, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(CiphertextBlob.length).toBe(512);
  });
});

describe('ECDH with an openssl-generated peer key', () => {
  for (const [name, curve] of [
    ['p256ka', 'P-256'],
    ['p384ka', 'P-384'],
    ['p521ka', 'P-521'],
  ] as const) {
    it(`${curve}: DeriveSharedSecret equals openssl pkeyutl -derive`, async () => {
      const peer = s.path(`peer-${name}.pem`);
      await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-pkeyopt', 'ec_param_enc:named_curve', '-out', peer]);
      const peerDer = (await openssl(['pkey', '-in', peer, '-pubout', '-outform', 'DER'])).stdout;
      const theirs = (await openssl(['pkeyutl', '-derive', '-inkey', peer, '-peerkey', s.path(`${name}.pem`)])).stdout;
      const { SharedSecret, KeyAgreementAlgorithm, KeyOrigin } = await t.call('DeriveSharedSecret', { KeyId: keys[name]!, KeyAgreementAlgorithm: 'ECDH', PublicKey: peerDer });
      expect(Buffer.from(SharedSecret).toString('hex')).toBe(theirs.toString('hex'));
      expect(KeyAgreementAlgorithm).toBe('ECDH');
      expect(KeyOrigin).toBe('AWS_KMS');
    });
  }

  it('X25519: DeriveSharedSecret equals openssl pkeyutl -derive', async () => {
    const peer = s.path('peer-x25519.pem');
    await openssl(['genpkey', '-algorithm', 'X25519', '-out', peer]);
    const peerDer = (await openssl(['pkey', '-in', peer, '-pubout', '-outform', 'DER'])).stdout;
    const theirs = (await openssl(['pkeyutl', '-derive', '-inkey', peer, '-peerkey', s.path('x25519.pem')])).stdout;
    const { SharedSecret } = await t.call('DeriveSharedSecret', { KeyId: keys['x25519']!, KeyAgreementAlgorithm: 'ECDH', PublicKey: peerDer });
    expect(Buffer.from(SharedSecret).equals(theirs)).toBe(true);
  });

  it('a peer key on another curve is a ValidationException', async () => {
    const peer = s.path('peer-wrong.pem');
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', peer]);
    const peerDer = (await openssl(['pkey', '-in', peer, '-pubout', '-outform', 'DER'])).stdout;
    await expect(t.call('DeriveSharedSecret', { KeyId: keys['p256ka']!, KeyAgreementAlgorithm: 'ECDH', PublicKey: peerDer })).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('exported PEM fingerprints', () => {
  it('equal the SHA-256 openssl computes over the DER SubjectPublicKeyInfo', async () => {
    for (const name of ['rsa2048', 'p384', 'k256', 'ed25519', 'x25519']) {
      const { Fingerprint, FingerprintType } = await t.call('ExportPublicKey', { KeyId: keys[name]!, Format: 'pem' });
      const der = (await openssl(['pkey', '-pubin', '-in', s.path(`${name}.pem`), '-outform', 'DER'])).stdout;
      const dgst = (await openssl(['dgst', '-sha256', '-r'], { input: der })).stdout.toString().split(' ')[0];
      expect(FingerprintType).toBe('SPKI_SHA256_HEX');
      expect(Fingerprint).toBe(dgst);
    }
  });
});
