// ExportPublicKey: every format for every spec that has one, checked
// against an independent parser (node:crypto for PEM/DER/JWK, age's own
// library for age recipients, decoded with @scure/base's Bech32), RFC test
// vectors for the JWK thumbprint, and the refusals for formats a key type has no encoding in.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bech32 } from '@scure/base';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import type { PublicKeyFormat } from '../../../main/api/enums.js';
import { ageX25519Recipient, jwkThumbprint } from '../../../main/core/codecs/public-key-formats.js';
import { parseSecp256k1Spki } from '../../../main/core/kms/asymmetric/secp256k1.js';
import { refused } from '../../support/kms.js';
import { makeVault, type TestVault } from '../../support/vault.js';

let t: TestVault;
const k: Record<string, string> = {};
beforeAll(async () => {
  t = await makeVault();
  for (const [name, KeySpec, KeyUsage] of [
    ['rsaSig', 'RSA_2048', 'SIGN_VERIFY'],
    ['rsaEnc', 'RSA_2048', 'ENCRYPT_DECRYPT'],
    ['p256', 'ECC_NIST_P256', 'SIGN_VERIFY'],
    ['p521ka', 'ECC_NIST_P521', 'KEY_AGREEMENT'],
    ['k256', 'ECC_SECG_P256K1', 'SIGN_VERIFY'],
    ['ed', 'ECC_NIST_EDWARDS25519', 'SIGN_VERIFY'],
    ['x', 'ECC_X25519', 'KEY_AGREEMENT'],
    ['ml', 'ML_DSA_65', 'SIGN_VERIFY'],
    ['hmac', 'HMAC_256', 'GENERATE_VERIFY_MAC'],
    ['sym', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'],
  ] as const) {
    k[name] = (await t.call('CreateKey', { KeySpec, KeyUsage })).KeyMetadata.KeyId;
  }
}, 60_000);
afterAll(() => t.close());

const exp = (name: string, Format: PublicKeyFormat) => t.call('ExportPublicKey', { KeyId: k[name]!, Format });
const spkiOf = async (name: string) => Buffer.from((await t.call('GetPublicKey', { KeyId: k[name]! })).PublicKey);

describe('pem and der', () => {
  it('are the SubjectPublicKeyInfo GetPublicKey returns, for every asymmetric spec', async () => {
    for (const name of ['rsaSig', 'p256', 'p521ka', 'k256', 'ed', 'x', 'ml']) {
      const spki = await spkiOf(name);
      const pem = await exp(name, 'pem');
      const der = await exp(name, 'der');
      expect(pem.PublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END PUBLIC KEY-----\n$/);
      const body = pem.PublicKey.replace(/-----[A-Z ]+-----|\n/g, '');
      expect(Buffer.from(body, 'base64').equals(spki)).toBe(true);
      expect(Buffer.from(der.PublicKey, 'base64').equals(spki)).toBe(true);
      expect(pem.Fingerprint).toBe(der.Fingerprint);
      expect(pem.Fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(pem).toMatchObject({ Format: 'pem', FingerprintType: 'SPKI_SHA256_HEX', KeyId: expect.stringContaining(k[name]!) });
    }
  });
});

describe('jwk', () => {
  it('is the same key node:crypto reads, with use/alg/kid, and an RFC 7638 thumbprint', async () => {
    const cases: [string, Record<string, string>][] = [
      ['rsaSig', { kty: 'RSA', use: 'sig' }],
      ['rsaEnc', { kty: 'RSA', use: 'enc' }],
      ['p256', { kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' }],
      ['p521ka', { kty: 'EC', crv: 'P-521', use: 'enc' }],
      ['k256', { kty: 'EC', crv: 'secp256k1', use: 'sig', alg: 'ES256K' }],
      ['ed', { kty: 'OKP', crv: 'Ed25519', use: 'sig', alg: 'EdDSA' }],
      ['x', { kty: 'OKP', crv: 'X25519', use: 'enc' }],
    ];
    for (const [name, members] of cases) {
      const out = await exp(name, 'jwk');
      const jwk = JSON.parse(out.PublicKey);
      expect(jwk).toMatchObject({ ...members, kid: k[name] });
      expect(jwk.d).toBeUndefined();
      expect(out.FingerprintType).toBe('JWK_THUMBPRINT_SHA256');
      expect(out.Fingerprint).toBe(jwkThumbprint(jwk));
      if (name === 'k256') {
        const p = parseSecp256k1Spki(await spkiOf(name));
        expect(Buffer.from(jwk.x, 'base64url').equals(Buffer.from(p.subarray(1, 33)))).toBe(true);
        continue;
      }
      const back = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
      expect(back.equals(await spkiOf(name)), name).toBe(true);
    }
  });

  it('thumbprint matches RFC 8037 Appendix A.3', () => {
    expect(jwkThumbprint({ crv: 'Ed25519', kty: 'OKP', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('ML-DSA has no registered JWK type: UnsupportedOperationException', async () => {
    await refused(exp('ml', 'jwk'), 'UnsupportedOperationException');
  });
});

describe('age', () => {
  it('an X25519 key is an age1… recipient that decodes to its public key', async () => {
    const out = await exp('x', 'age');
    expect(out.PublicKey).toMatch(/^age1[02-9ac-hj-np-z]{58}\n$/);
    const { prefix, bytes } = bech32.decodeToBytes(out.PublicKey.trim());
    expect(prefix).toBe('age');
    expect(Buffer.from(bytes).equals((await spkiOf('x')).subarray(12))).toBe(true);
  });

  it('the recipient encoding agrees with the age-encryption library', async () => {
    for (let i = 0; i < 5; i++) {
      const identity = await generateX25519Identity();
      const secret = bech32.decodeToBytes(identity).bytes;
      const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), secret]);
      const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
      expect(ageX25519Recipient(spki)).toBe(await identityToRecipient(identity));
    }
  });

  it('an RSA ENCRYPT_DECRYPT key is an ssh-rsa line; other keys are refused', async () => {
    const out = await exp('rsaEnc', 'age');
    expect(out.PublicKey).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E[A-Za-z0-9+/=]+ arn:strongroom:kms:/);
    expect(out.FingerprintType).toBe('OPENSSH_SHA256');
    await refused(exp('rsaSig', 'age'), 'InvalidKeyUsageException');
    await refused(exp('p256', 'age'), 'UnsupportedOperationException');
    await refused(exp('ed', 'age'), 'UnsupportedOperationException');
  });
});

describe('refusals', () => {
  it('symmetric and HMAC keys have no public key (UnsupportedOperationException); bad formats are ValidationException', async () => {
    await refused(exp('sym', 'pem'), 'UnsupportedOperationException');
    await refused(exp('hmac', 'der'), 'UnsupportedOperationException');
    await refused(t.dispatch('ExportPublicKey', { KeyId: k['p256'], Format: 'x509' }), 'ValidationException');
  });
});
