// GenerateMac and VerifyMac with HMAC_224/256/384/512 keys: MAC lengths,
// verification, the algorithm each spec allows, and the AWS exceptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refused } from '../../support/kms.js';
import { makeVault, type TestVault } from '../../support/vault.js';

let t: TestVault;
const k: Record<string, { KeyId: string; Arn: string }> = {};
beforeAll(async () => {
  t = await makeVault();
  for (const bits of [224, 256, 384, 512] as const) {
    k[bits] = (await t.call('CreateKey', { KeySpec: `HMAC_${bits}`, KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata;
  }
  k['sym'] = (await t.call('CreateKey', {})).KeyMetadata;
});
afterAll(() => t.close());

const Message = Buffer.from('amount=100&to=partner');

describe('GenerateMac / VerifyMac', () => {
  for (const bits of [224, 256, 384, 512] as const) {
    it(`HMAC_${bits}: a ${bits / 8}-byte MAC that verifies, deterministic, bound to the message`, async () => {
      const MacAlgorithm = `HMAC_SHA_${bits}` as const;
      const { KeyMetadata } = await t.call('DescribeKey', { KeyId: k[bits]!.KeyId });
      expect(KeyMetadata).toMatchObject({ KeySpec: `HMAC_${bits}`, KeyUsage: 'GENERATE_VERIFY_MAC', MacAlgorithms: [MacAlgorithm] });
      expect(KeyMetadata.EncryptionAlgorithms).toBeUndefined();
      const out = await t.call('GenerateMac', { KeyId: k[bits]!.KeyId, Message, MacAlgorithm });
      expect(out).toMatchObject({ KeyId: k[bits]!.Arn, MacAlgorithm });
      expect(out.Mac.length).toBe(bits / 8);
      const again = await t.call('GenerateMac', { KeyId: k[bits]!.KeyId, Message, MacAlgorithm });
      expect(Buffer.from(again.Mac).equals(Buffer.from(out.Mac))).toBe(true);
      expect(await t.call('VerifyMac', { KeyId: k[bits]!.KeyId, Message, MacAlgorithm, Mac: out.Mac })).toEqual({ KeyId: k[bits]!.Arn, MacValid: true, MacAlgorithm });
      await refused(t.call('VerifyMac', { KeyId: k[bits]!.KeyId, Message: Buffer.from('amount=900&to=partner'), MacAlgorithm, Mac: out.Mac }), 'KMSInvalidMacException');
      const bad = Buffer.from(out.Mac);
      bad[0]! ^= 0x80;
      await refused(t.call('VerifyMac', { KeyId: k[bits]!.KeyId, Message, MacAlgorithm, Mac: bad }), 'KMSInvalidMacException');
      await refused(t.call('VerifyMac', { KeyId: k[bits]!.KeyId, Message, MacAlgorithm, Mac: Buffer.from(out.Mac).subarray(0, 16) }), 'KMSInvalidMacException');
    });
  }

  it('keys with the same spec have different material', async () => {
    const other = (await t.call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata;
    const a = await t.call('GenerateMac', { KeyId: k[256]!.KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' });
    await refused(t.call('VerifyMac', { KeyId: other.KeyId, Message, MacAlgorithm: 'HMAC_SHA_256', Mac: a.Mac }), 'KMSInvalidMacException');
  });

  it('another spec\'s algorithm, or a non-HMAC key, is InvalidKeyUsageException', async () => {
    await refused(t.call('GenerateMac', { KeyId: k[256]!.KeyId, Message, MacAlgorithm: 'HMAC_SHA_512' }), 'InvalidKeyUsageException');
    await refused(t.call('GenerateMac', { KeyId: k['sym']!.KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' }), 'InvalidKeyUsageException');
    await refused(t.call('Encrypt', { KeyId: k[256]!.KeyId, Plaintext: Message }), 'InvalidKeyUsageException');
    await refused(t.call('Sign', { KeyId: k[256]!.KeyId, Message, SigningAlgorithm: 'ECDSA_SHA_256' }), 'InvalidKeyUsageException');
  });

  it('message limits and bad input are ValidationException; disabled keys DisabledException', async () => {
    await refused(t.call('GenerateMac', { KeyId: k[256]!.KeyId, Message: Buffer.alloc(4097), MacAlgorithm: 'HMAC_SHA_256' }), 'ValidationException');
    await refused(t.call('GenerateMac', { KeyId: k[256]!.KeyId, Message: Buffer.alloc(0), MacAlgorithm: 'HMAC_SHA_256' }), 'ValidationException');
    await refused(t.dispatch('GenerateMac', { KeyId: k[256]!.KeyId, Message, MacAlgorithm: 'HMAC_MD5' }), 'ValidationException');
    await t.call('GenerateMac', { KeyId: k[256]!.KeyId, Message: Buffer.alloc(4096), MacAlgorithm: 'HMAC_SHA_256' });
    await t.call('DisableKey', { KeyId: k[224]!.KeyId });
    await refused(t.call('GenerateMac', { KeyId: k[224]!.KeyId, Message, MacAlgorithm: 'HMAC_SHA_224' }), 'DisabledException');
    await t.call('EnableKey', { KeyId: k[224]!.KeyId });
  });

  it('HMAC keys do not rotate and have no public key', async () => {
    await refused(t.call('EnableKeyRotation', { KeyId: k[384]!.KeyId }), 'UnsupportedOperationException');
    await refused(t.call('GetPublicKey', { KeyId: k[384]!.KeyId }), 'UnsupportedOperationException');
  });
});
