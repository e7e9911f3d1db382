// Interoperability with the real ssh-keygen (OpenSSH 9.x): every exported
// OpenSSH public key parses (`ssh-keygen -l -f`), its fingerprint is the one
// Strongroom reports, and it is the key ssh-keygen itself derives from the
// exported PEM (`ssh-keygen -i -m PKCS8`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySpec, KeyUsage } from '../../main/api/enums.js';
import { makeVault, type TestVault } from '../support/vault.js';
import { run, Scratch } from './tools.js';

let t: TestVault;
let s: Scratch;
const SPECS: [KeySpec, KeyUsage, string, number][] = [
  ['RSA_2048', 'SIGN_VERIFY', 'RSA', 2048],
  ['RSA_3072', 'ENCRYPT_DECRYPT', 'RSA', 3072],
  ['ECC_NIST_P256', 'SIGN_VERIFY', 'ECDSA', 256],
  ['ECC_NIST_P384', 'KEY_AGREEMENT', 'ECDSA', 384],
  ['ECC_NIST_P521', 'SIGN_VERIFY', 'ECDSA', 521],
  ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', 'ED25519', 256],
];
const ids: string[] = [];

beforeAll(async () => {
  t = await makeVault();
  s = await Scratch.create('ssh');
  for (const [KeySpec, KeyUsage] of SPECS) ids.push((await t.call('CreateKey', { KeySpec, KeyUsage })).KeyMetadata.KeyId);
}, 120_000);
afterAll(async () => {
  await t.close();
  await s.remove();
});

describe('ssh-keygen reads exported OpenSSH keys', () => {
  SPECS.forEach(([spec, , type, bits], i) => {
    it(`${spec}: ssh-keygen -l prints Strongroom's fingerprint, bits and type`, async () => {
      const out = await t.call('ExportPublicKey', { KeyId: ids[i]!, Format: 'ssh' });
      expect(out.FingerprintType).toBe('OPENSSH_SHA256');
      const file = await s.write(`${spec}.pub`, out.PublicKey);
      const line = (await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', file])).stdout.toString().trim();
      // "<bits> SHA256:<fp> <comment> (<TYPE>)"
      expect(line).toBe(`${bits} ${out.Fingerprint} ${out.KeyId} (${type})`);
    });

    it(`${spec}: is the key ssh-keygen derives from the exported PEM`, async () => {
      const pem = await t.call('ExportPublicKey', { KeyId: ids[i]!, Format: 'pem' });
      const ssh = await t.call('ExportPublicKey', { KeyId: ids[i]!, Format: 'ssh' });
      if (spec === 'ECC_NIST_EDWARDS25519') return; // OpenSSH 9.2 cannot import Ed25519 from PKCS#8 PEM
      const file = await s.write(`${spec}.pem`, pem.PublicKey);
      const converted = (await run('ssh-keygen', ['-i', '-m', 'PKCS8', '-f', file])).stdout.toString().trim();
      expect(ssh.PublicKey.split(' ').slice(0, 2).join(' ')).toBe(converted);
    });
  });

  it('keys OpenSSH has no type for are UnsupportedOperationException', async () => {
    for (const [KeySpec, KeyUsage] of [
      ['ECC_SECG_P256K1', 'SIGN_VERIFY'],
      ['ML_DSA_44', 'SIGN_VERIFY'],
      ['ECC_X25519', 'KEY_AGREEMENT'],
    ] as const) {
      const { KeyMetadata } = await t.call('CreateKey', { KeySpec, KeyUsage });
      await expect(t.call('ExportPublicKey', { KeyId: KeyMetadata.KeyId, Format: 'ssh' })).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
    }
  });
});
