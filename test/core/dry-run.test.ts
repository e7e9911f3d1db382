// DryRun (main/core/service/dry-run.ts) on every operation that takes it:
// a call that would succeed fails with DryRunOperationException, writes
// nothing, returns nothing, and is recorded as that error; a call that
// would fail fails as the real call would (access, key state, input, the
// checks inside a write transaction); the real call then does what the
// dry run said it would. Where approval rules guard the action, a dry run
// says so and creates no approval request.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT, SERVICE_OPERATION_NAMES } from '../../main/api/index.js';
import type { Caller } from '../../main/core/service/caller.js';
import { newUser } from '../support/iam.js';
import { DbSnapshots, refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

type Input = Record<string, unknown>;

let t: TestVault;
let snapshots: DbSnapshots;
let powerless: Caller; // a user with no policy at all
beforeAll(async () => {
  t = await makeVault();
  powerless = await newUser(t, 'powerless');
  snapshots = await DbSnapshots.open(t, { ignoreTable: (table) => table.startsWith('audit_') || table === 'sign_in_failures' });
});
afterAll(async () => {
  await snapshots.close();
  await t.close();
});

const ec = { purpose: 'dry run' };
const message = Buffer.from('a message to sign');
const key = async (KeySpec = 'SYMMETRIC_DEFAULT', KeyUsage = 'ENCRYPT_DECRYPT'): Promise<string> =>
  (await t.dispatch('CreateKey', { KeySpec, KeyUsage })).KeyMetadata.KeyId;
const grant = (KeyId: string) => t.call('CreateGrant', { KeyId, GranteePrincipal: 'admin', RetiringPrincipal: 'admin', Operations: ['Encrypt'] });
const ciphertext = async (KeyId: string) => (await t.call('Encrypt', { KeyId, Plaintext: Buffer.from('secret'), EncryptionContext: ec })).CiphertextBlob;
const lastEvent = async (name: string) => {
  const { Events } = await t.call('LookupEvents', { EventName: name, MaxResults: 1 });
  return JSON.parse(Events[0]!.CloudTrailEvent) as Record<string, unknown>;
};

/** A valid input of each operation that takes DryRun (without it). */
const CASES: Record<string, () => Promise<Input>> = {
  Encrypt: async () => ({ KeyId: await key(), Plaintext: Buffer.from('hello'), EncryptionContext: ec }),
  Decrypt: async () => ({ CiphertextBlob: await ciphertext(await key()), EncryptionContext: ec }),
  ReEncrypt: async () => ({ CiphertextBlob: await ciphertext(await key()), SourceEncryptionContext: ec, DestinationKeyId: await key() }),
  GenerateDataKey: async () => ({ KeyId: await key(), KeySpec: 'AES_256' }),
  GenerateDataKeyWithoutPlaintext: async () => ({ KeyId: await key(), NumberOfBytes: 32 }),
  GenerateDataKeyPair: async () => ({ KeyId: await key(), KeyPairSpec: 'ECC_NIST_P256' }),
  GenerateDataKeyPairWithoutPlaintext: async () => ({ KeyId: await key(), KeyPairSpec: 'ECC_NIST_P256' }),
  Sign: async () => ({ KeyId: await key('ECC_NIST_P256', 'SIGN_VERIFY'), Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
  Verify: async () => {
    const KeyId = await key('ECC_NIST_P256', 'SIGN_VERIFY');
    const { Signature } = await t.call('Sign', { KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' });
    return { KeyId, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256' };
  },
  GenerateMac: async () => ({ KeyId: await key('HMAC_256', 'GENERATE_VERIFY_MAC'), Message: message, MacAlgorithm: 'HMAC_SHA_256' }),
  VerifyMac: async () => {
    const KeyId = await key('HMAC_256', 'GENERATE_VERIFY_MAC');
    const { Mac } = await t.call('GenerateMac', { KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' });
    return { KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', Mac };
  },
  DeriveSharedSecret: async () => ({
    KeyId: await key('ECC_NIST_P256', 'KEY_AGREEMENT'),
    KeyAgreementAlgorithm: 'ECDH',
    PublicKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }),
  }),
  CreateGrant: async () => ({ KeyId: await key(), GranteePrincipal: 'admin', Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: ec } }),
  RetireGrant: async () => ({ GrantToken: (await grant(await key())).GrantToken }),
  RevokeGrant: async () => {
    const KeyId = await key();
    return { KeyId, GrantId: (await grant(KeyId)).GrantId };
  },
};

describe('DryRun on every operation that takes it', () => {
  it('is taken by exactly the operations AWS gives it, as an optional boolean', () => {
    const taking = SERVICE_OPERATION_NAMES.filter((n) => Object.hasOwn((CONTRACT[n].input as unknown as { shape: object }).shape, 'DryRun'));
    expect(taking.sort()).toEqual(Object.keys(CASES).sort());
    for (const n of taking) {
      const shape = (CONTRACT[n].input as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
      expect(shape['DryRun']!.safeParse(undefined).success && shape['DryRun']!.safeParse(true).success && !shape['DryRun']!.safeParse('true').success).toBe(true);
    }
  });

  for (const name of Object.keys(CASES)) {
    it(`${name}: DryRunOperationException, nothing written or returned, recorded as that error; refused as the real call; then the real call succeeds`, async () => {
      const input = await CASES[name]!();
      const before = await snapshots.take();
      const err = await refused(t.dispatch(name, { ...input, DryRun: true }), 'DryRunOperationException');
      expect(err.message).toContain('would have succeeded');
      expect(await snapshots.take(), `a dry run of ${name} changed the vault`).toBe(before);
      const event = await lastEvent(name);
      expect(event).toMatchObject({ eventName: name, errorCode: 'DryRunOperationException', requestParameters: { DryRun: true }, responseElements: null });

      // what the real call would say to a caller who may not do it
      await refused(t.dispatch(name, { ...input, DryRun: true }, powerless), 'AccessDeniedException');
      expect(await snapshots.take()).toBe(before);

      // DryRun false is the real call
      const out = await t.dispatch(name, { ...input, DryRun: false });
      expect(out).toBeTypeOf('object');
      expect((await lastEvent(name)).errorCode).toBeUndefined();
    });
  }
});

describe('a dry run fails as the real call would', () => {
  it('a disabled key: DisabledException', async () => {
    const KeyId = await key();
    await t.call('DisableKey', { KeyId });
    await refused(t.call('Encrypt', { KeyId, Plaintext: Buffer.from('x'), DryRun: true }), 'DisabledException');
  });

  it('a wrong encryption context: InvalidCiphertextException (the decryption itself is checked)', async () => {
    const CiphertextBlob = await ciphertext(await key());
    await refused(t.call('Decrypt', { CiphertextBlob, EncryptionContext: { purpose: 'other' }, DryRun: true }), 'InvalidCiphertextException');
  });

  it('a key of the wrong usage or algorithm: the real call\'s error', async () => {
    const KeyId = await key('ECC_NIST_P256', 'SIGN_VERIFY');
    await refused(t.call('Encrypt', { KeyId, Plaintext: Buffer.from('x'), DryRun: true }), 'InvalidKeyUsageException');
    await refused(t.call('Sign', { KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256', DryRun: true }), 'InvalidKeyUsageException');
  });

  it('RevokeGrant of a grant the key does not have: InvalidGrantIdException (a check made inside the write transaction)', async () => {
    const KeyId = await key();
    await refused(t.call('RevokeGrant', { KeyId, GrantId: 'a'.repeat(64), DryRun: true }), 'InvalidGrantIdException');
  });

  it('a grant revoked by a dry run is still there, and usable', async () => {
    const KeyId = await key();
    const { GrantId, GrantToken } = await grant(KeyId);
    await refused(t.call('RevokeGrant', { KeyId, GrantId, DryRun: true }), 'DryRunOperationException');
    await refused(t.call('RetireGrant', { GrantToken, DryRun: true }), 'DryRunOperationException');
    expect((await t.call('ListGrants', { KeyId })).Grants.map((g) => g.GrantId)).toEqual([GrantId]);
    await t.call('Encrypt', { KeyId, Plaintext: Buffer.from('x'), GrantTokens: [GrantToken] });
  });

  it('a bad input: ValidationException, as without DryRun', async () => {
    await refused(t.dispatch('GenerateDataKey', { KeyId: await key(), DryRun: true }), 'ValidationException');
    await refused(t.dispatch('Encrypt', { KeyId: await key(), Plaintext: Buffer.from('x'), DryRun: 'yes' }), 'ValidationException');
  });
});

describe('a dry run of an action the approval rules guard', () => {
  it('runs every check, then says the call would need approval, and creates no approval request', async () => {
    await t.call('CreateGroup', { GroupName: 'custodians' });
    for (const name of ['carol', 'dave']) {
      await newUser(t, name);
      await t.call('AddUserToGroup', { GroupName: 'custodians', UserName: name });
    }
    await t.call('PutApprovalRules', { Rules: [{ Actions: ['kms:CreateGrant'], GroupName: 'custodians', MinApprovals: 1 }] });
    const KeyId = await key();
    const before = await snapshots.take();
    const err = await refused(t.call('CreateGrant', { KeyId, GranteePrincipal: 'admin', Operations: ['Encrypt'], DryRun: true }), 'ApprovalRequiredException');
    expect(err.message).toContain('needs 1 approval');
    expect(err.message).toContain('A dry run creates none');
    expect(await snapshots.take()).toBe(before);
    expect((await t.call('ListApprovalRequests', {})).Requests).toEqual([]);
    // the checks still come first
    await refused(t.call('CreateGrant', { KeyId: 'alias/none', GranteePrincipal: 'admin', Operations: ['Encrypt'], DryRun: true }), 'NotFoundException');
    await refused(t.call('CreateGrant', { KeyId, GranteePrincipal: 'admin', Operations: ['Encrypt'], DryRun: true }, powerless), 'AccessDeniedException');
    // without DryRun the call is held, as always
    await refused(t.call('CreateGrant', { KeyId, GranteePrincipal: 'admin', Operations: ['Encrypt'] }), 'ApprovalRequiredException');
    expect((await t.call('ListApprovalRequests', {})).Requests).toHaveLength(1);
  });
});
