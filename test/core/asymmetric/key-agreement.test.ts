// DeriveSharedSecret with KEY_AGREEMENT keys on P-256/384/521 and X25519:
// the secret equals the peer's own computation (node:crypto), and wrong
// peer keys, algorithms and key usages are refused with AWS's exceptions.
import { createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { x25519SpkiFromRaw } from '../../../main/core/kms/asymmetric/x25519.js';
import { refused } from '../../support/kms.js';
import { makeVault, type TestVault } from '../../support/vault.js';

let t: TestVault;
const k: Record<string, { KeyId: string; Arn: string }> = {};
beforeAll(async () => {
  t = await makeVault();
  for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_X25519'] as const) {
    k[spec] = (await t.call('CreateKey', { KeySpec: spec, KeyUsage: 'KEY_AGREEMENT' })).KeyMetadata;
  }
  k['sig'] = (await t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata;
});
afterAll(() => t.close());

const peer = (spec: string) =>
  spec === 'ECC_X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('ec', { namedCurve: { ECC_NIST_P256: 'P-256', ECC_NIST_P384: 'P-384', ECC_NIST_P521: 'P-521' }[spec]! });
const derive = (spec: string, PublicKey: Uint8Array) => t.call('DeriveSharedSecret', { KeyId: k[spec]!.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey });

describe('DeriveSharedSecret', () => {
  for (const [spec, len] of [
    ['ECC_NIST_P256', 32],
    ['ECC_NIST_P384', 48],
    ['ECC_NIST_P521', 66],
    ['ECC_X25519', 32],
  ] as const) {
    it(`${spec}: the peer computes the same ${len}-byte secret`, async () => {
      const p = peer(spec);
      const out = await derive(spec, p.publicKey.export({ type: 'spki', format: 'der' }));
      expect(out).toMatchObject({ KeyId: k[spec]!.Arn, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' });
      const vaultPub = createPublicKey({ key: Buffer.from((await t.call('GetPublicKey', { KeyId: k[spec]!.KeyId })).PublicKey), format: 'der', type: 'spki' });
      const theirs = diffieHellman({ privateKey: p.privateKey, publicKey: vaultPub });
      expect(out.SharedSecret.length).toBe(len);
      expect(Buffer.from(out.SharedSecret).equals(theirs)).toBe(true);
    });
  }

  it('GetPublicKey and DescribeKey show KeyAgreementAlgorithms ECDH', async () => {
    const pub = await t.call('GetPublicKey', { KeyId: k['ECC_X25519']!.KeyId });
    expect(pub).toMatchObject({ KeySpec: 'ECC_X25519', KeyUsage: 'KEY_AGREEMENT', KeyAgreementAlgorithms: ['ECDH'] });
  });

  it('a peer key on another curve, garbage, or a low-order X25519 point is ValidationException', async () => {
    await refused(derive('ECC_NIST_P256', peer('ECC_NIST_P384').publicKey.export({ type: 'spki', format: 'der' })), 'ValidationException');
    await refused(derive('ECC_NIST_P256', peer('ECC_X25519').publicKey.export({ type: 'spki', format: 'der' })), 'ValidationException');
    await refused(derive('ECC_X25519', peer('ECC_NIST_P256').publicKey.export({ type: 'spki', format: 'der' })), 'ValidationException');
    await refused(derive('ECC_NIST_P384', Buffer.from('not a key')), 'ValidationException');
    // an SPKI whose point is not on the curve: flip a byte of the y coordinate
    const der = Buffer.from(peer('ECC_NIST_P256').publicKey.export({ type: 'spki', format: 'der' }));
    der[der.length - 1]! ^= 1;
    await refused(derive('ECC_NIST_P256', der), 'ValidationException');
    // X25519 low-order points give an all-zero secret (RFC 7748 §6.1)
    await refused(derive('ECC_X25519', x25519SpkiFromRaw(Buffer.alloc(32))), 'ValidationException');
    await refused(derive('ECC_X25519', x25519SpkiFromRaw(Buffer.from([1, ...Buffer.alloc(31)]))), 'ValidationException');
  });

  it('a signing key, or an unknown algorithm, is refused', async () => {
    const p = peer('ECC_NIST_P256').publicKey.export({ type: 'spki', format: 'der' });
    await refused(t.call('DeriveSharedSecret', { KeyId: k['sig']!.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: p }), 'InvalidKeyUsageException');
    await refused(t.dispatch('DeriveSharedSecret', { KeyId: k['ECC_NIST_P256']!.KeyId, KeyAgreementAlgorithm: 'ECMQV', PublicKey: p }), 'ValidationException');
    await refused(t.call('Sign', { KeyId: k['ECC_NIST_P256']!.KeyId, Message: Buffer.from('x'), SigningAlgorithm: 'ECDSA_SHA_256' }), 'InvalidKeyUsageException');
  });
});
