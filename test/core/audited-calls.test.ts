// The service's side of the audit trail (DESIGN §6): every call through
// service.call — allowed or denied, success or error, signed in or not —
// leaves one record in the right tenant's trail, with secrets redacted; a
// result is returned only once its record is durable, and a call whose
// record cannot be written fails instead of returning.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditTrail } from '../../main/core/service/ports.js';
import { initVault, openVault } from '../../main/vault/vault.js';
import { ADMIN_PASSPHRASE, makeVault, TEST_ARGON2, VAULT_PASSPHRASE, type TestVault } from '../support/vault.js';
import { UNRECORDED } from '../support/trails.js';

let t: TestVault;
beforeEach(async () => {
  t = await makeVault();
});
afterEach(async () => t.close());

const events = async (name: string) => (await t.call('LookupEvents', { EventName: name })).Events.map((e: { CloudTrailEvent: string }) => JSON.parse(e.CloudTrailEvent));

describe('every call is recorded', () => {
  it('a successful Encrypt: request and response without the plaintext, the ciphertext only as its SHA-256, the key as resource', async () => {
    const { KeyMetadata } = await t.call('CreateKey', {});
    const secret = Buffer.from('the launch codes');
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: secret, EncryptionContext: { dept: 'finance' } });
    const [e] = await events('Encrypt');
    expect(e).toMatchObject({
      eventName: 'Encrypt',
      eventSource: 'kms.strongroom.local',
      awsRegion: 'local-1',
      userIdentity: { type: 'IAMUser', userName: 'admin', accountId: t.admin.account },
      requestParameters: { KeyId: KeyMetadata.KeyId, EncryptionContext: { dept: 'finance' } },
      resources: [{ ARN: KeyMetadata.Arn }],
      recipientAccountId: t.admin.account,
    });
    expect(e.errorCode).toBeUndefined();
    const text = JSON.stringify(e);
    expect(text).not.toContain(secret.toString('base64'));
    expect(text).not.toContain('the launch codes');
    expect(text).not.toContain(Buffer.from(CiphertextBlob).toString('base64'));
    expect(e.responseElements.CiphertextBlob).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), length: CiphertextBlob.length });
  });

  it('a failed call records its error code; a denied one names the key it was denied on', async () => {
    await expect(t.call('DescribeKey', { KeyId: 'alias/missing' })).rejects.toMatchObject({ name: 'NotFoundException' });
    const [missing] = await events('DescribeKey');
    expect(missing).toMatchObject({ errorCode: 'NotFoundException' });

    const { KeyMetadata } = await t.call('CreateKey', {});
    await t.call('CreateUser', { UserName: 'eve' });
    await t.call('CreateLoginProfile', { UserName: 'eve', Password: 'eve passphrase 1' });
    const eve = await t.vault.service.signIn({ userName: 'eve', passphrase: 'eve passphrase 1', region: 'local-1', source: 'desktop' });
    await expect(t.call('Decrypt', { CiphertextBlob: (await t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('x') })).CiphertextBlob }, eve)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    const [denied] = await events('Decrypt');
    expect(denied).toMatchObject({ errorCode: 'AccessDeniedException', sourceType: 'desktop', userIdentity: { userName: 'eve' }, resources: [{ ARN: KeyMetadata.Arn }] });
  });

  it('passphrases never reach the trail', async () => {
    await t.call('CreateUser', { UserName: 'dan' });
    await t.call('CreateLoginProfile', { UserName: 'dan', Password: 'dan very secret passphrase' });
    const [e] = await events('CreateLoginProfile');
    expect(JSON.stringify(e)).not.toContain('dan very secret passphrase');
    // a reset, and a reset refused (too short): the passphrase is "[redacted]", the flag kept
    await t.call('UpdateLoginProfile', { UserName: 'dan', Password: 'dan reset passphrase', PasswordResetRequired: true });
    await expect(t.call('UpdateLoginProfile', { UserName: 'dan', Password: 'dan-pw' })).rejects.toMatchObject({ name: 'PasswordPolicyViolationException' });
    const [refusedReset, reset] = await events('UpdateLoginProfile');
    expect(reset).toMatchObject({ requestParameters: { UserName: 'dan', Password: '[redacted]', PasswordResetRequired: true } });
    expect(refusedReset).toMatchObject({ requestParameters: { UserName: 'dan', Password: '[redacted]' }, errorCode: 'PasswordPolicyViolationException' });
    expect(JSON.stringify([reset, refusedReset])).not.toMatch(/dan reset passphrase|dan-pw/);
  });

  it('a call that is not signed in goes to the operator tenant as Unauthenticated', async () => {
    const forged = { ...t.admin };
    await expect(t.vault.service.call(forged, 'ListKeys', {})).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const [e] = await events('ListKeys');
    expect(e).toMatchObject({ userIdentity: { type: 'Unauthenticated' }, errorCode: 'AccessDeniedException' });
  });

  it('each tenant sees only its own records', async () => {
    await t.call('CreateTenant', { TenantName: 'acme', AdminPassword: 'acme admin passphrase' });
    const acme = await t.vault.service.signIn({ tenant: 'acme', userName: 'admin', passphrase: 'acme admin passphrase', region: 'local-1', source: 'sdk' });
    await t.call('ChangePassword', { OldPassword: 'acme admin passphrase', NewPassword: 'acme admin passphrase 2' }, acme);
    const theirs = (await t.call('LookupEvents', {}, acme)).Events.map((e: { EventName: string }) => e.EventName);
    expect(theirs).toEqual(['ChangePassword']);
    expect((await events('CreateTenant')).length).toBe(1);
  });
});

describe('durability', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strongroom-audit-fail-'));
    await initVault(dir, { custody: { kind: 'passphrase', passphrase: VAULT_PASSPHRASE }, adminPassphrase: ADMIN_PASSPHRASE, service: { argon2: TEST_ARGON2 } });
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('when the record cannot be written, the call fails with KMSInternalException and returns nothing', async () => {
    const failing: AuditTrail = {
      ...UNRECORDED,
      append: async () => {
        throw new Error('disk full');
      },
    };
    const logged: string[] = [];
    const vault = await openVault(dir, { vaultPassphrase: async () => VAULT_PASSPHRASE, service: { argon2: TEST_ARGON2, audit: () => failing, log: (m) => logged.push(m) } });
    try {
      const admin = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
      await expect(vault.service.call(admin, 'GenerateRandom', { NumberOfBytes: 32 })).rejects.toMatchObject({ name: 'KMSInternalException' });
      expect(logged.join('\n')).toMatch(/audit record of GenerateRandom could not be written/);
    } finally {
      await vault.close();
    }
  });
});
