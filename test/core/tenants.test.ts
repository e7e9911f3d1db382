// Tenants (issue 3): only the operator tenant's administrators manage them;
// a new tenant's admin must change its first passphrase; a disabled tenant
// can neither sign in nor call; and nothing of one tenant is visible to or
// usable by another, whatever id, ARN, alias, ciphertext or token is passed.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../main/core/service/caller.js';
import { newTenant, newUser, passphraseOf, signIn, TENANT_ADMIN_PASSPHRASE } from '../support/iam.js';
import { refused } from '../support/kms.js';
import { DB_FILE } from '../../main/vault/paths.js';
import { initVault } from '../../main/vault/vault.js';
import { ADMIN_PASSPHRASE, makeVault, TEST_ARGON2, VAULT_PASSPHRASE, type TestVault } from '../support/vault.js';

let t: TestVault;
let a: Caller; // admin of tenant "alpha"
let b: Caller; // admin of tenant "bravo"
beforeAll(async () => {
  t = await makeVault();
  a = await newTenant(t, 'alpha');
  b = await newTenant(t, 'bravo');
});
afterAll(() => t.close());

describe('CreateTenant', () => {
  it('makes a tenant with a 12-digit account id and an admin who must change the first passphrase', async () => {
    const { Tenant } = await t.call('CreateTenant', { TenantName: 'charlie', AdminPassword: TENANT_ADMIN_PASSPHRASE });
    expect(Tenant).toEqual({ AccountId: expect.stringMatching(/^\d{12}$/), TenantName: 'charlie', State: 'Enabled', CreationDate: new Date(t.clock.now) });
    expect(Tenant.AccountId).not.toBe(t.admin.account);
    const first = await signIn(t, 'admin', TENANT_ADMIN_PASSPHRASE, 'charlie');
    expect(first.account).toBe(Tenant.AccountId);
    expect((await signIn(t, 'admin', TENANT_ADMIN_PASSPHRASE, Tenant.AccountId)).account).toBe(Tenant.AccountId);
    await refused(t.call('CreateKey', {}, first), 'AccessDeniedException');
    await t.call('ChangePassword', { OldPassword: TENANT_ADMIN_PASSPHRASE, NewPassword: passphraseOf('charlie') }, first);
    const key = (await t.call('CreateKey', {}, first)).KeyMetadata;
    expect(key.AWSAccountId).toBe(Tenant.AccountId);
    expect(key.Arn).toContain(`:${Tenant.AccountId}:key/`);
    await refused(signIn(t, 'admin', TENANT_ADMIN_PASSPHRASE, 'charlie'), 'AccessDeniedException');
  });

  it('a duplicate name is AlreadyExistsException, a bad name ValidationException, a short passphrase PasswordPolicyViolationException', async () => {
    await refused(t.call('CreateTenant', { TenantName: 'alpha', AdminPassword: TENANT_ADMIN_PASSPHRASE }), 'AlreadyExistsException');
    await refused(t.call('CreateTenant', { TenantName: '-starts-with-dash', AdminPassword: TENANT_ADMIN_PASSPHRASE }), 'ValidationException');
    await refused(t.call('CreateTenant', { TenantName: 'delta', AdminPassword: 'short' }), 'PasswordPolicyViolationException');
    expect((await t.call('ListTenants')).Tenants.map((x: { TenantName: string }) => x.TenantName)).not.toContain('delta');
  });

  it('a name that looks like an account id (12 digits) is ValidationException saying why, in CreateTenant and init alike', async () => {
    const e = await refused(t.call('CreateTenant', { TenantName: '123456789012', AdminPassword: TENANT_ADMIN_PASSPHRASE }), 'ValidationException');
    expect(e.message).toBe(
      "Tenant name '123456789012' is not valid: it looks like an account id (12 digits), so --tenant could not tell the two apart. Choose a name with a letter or another character in it.",
    );
    // what --tenant would read as this account's id cannot become another tenant's name
    await refused(t.call('CreateTenant', { TenantName: a.account, AdminPassword: TENANT_ADMIN_PASSPHRASE }), 'ValidationException');
    expect((await t.call('ListTenants')).Tenants.map((x: { TenantName: string }) => x.TenantName)).not.toContain('123456789012');
    // other all-digit names are names
    await t.call('CreateTenant', { TenantName: '1234567890123', AdminPassword: TENANT_ADMIN_PASSPHRASE });
    expect((await signIn(t, 'admin', TENANT_ADMIN_PASSPHRASE, '1234567890123')).account).not.toBe(a.account);
    const dir = await mkdtemp(join(tmpdir(), 'strongroom-tenant-name-'));
    try {
      const init = initVault(join(dir, 'v'), { custody: { kind: 'passphrase', passphrase: VAULT_PASSPHRASE }, tenantName: '000000000001', adminPassphrase: ADMIN_PASSPHRASE, service: { argon2: TEST_ARGON2 } });
      await refused(init, 'ValidationException');
      expect(existsSync(join(dir, 'v', DB_FILE))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("only the operator tenant's administrators manage tenants", async () => {
    const keyAdmin = await newUser(t, 'operator-key-admin', { managed: ['KeyAdministrator'] });
    for (const caller of [a, keyAdmin]) {
      await refused(t.call('CreateTenant', { TenantName: 'echo', AdminPassword: TENANT_ADMIN_PASSPHRASE }, caller), 'AccessDeniedException');
      await refused(t.call('ListTenants', {}, caller), 'AccessDeniedException');
      await refused(t.call('DisableTenant', { AccountId: b.account }, caller), 'AccessDeniedException');
      await refused(t.call('EnableTenant', { AccountId: b.account }, caller), 'AccessDeniedException');
    }
  });
});

describe('ListTenants', () => {
  it('shows each tenant\'s name, state and counts — nothing else', async () => {
    await t.call('CreateKey', {}, b);
    await t.call('CreateKey', {}, b);
    await newUser(t, 'bravo-user', { as: b });
    const { Tenants } = await t.call('ListTenants');
    const bravo = Tenants.find((x: { TenantName: string }) => x.TenantName === 'bravo');
    expect(bravo).toEqual({ AccountId: b.account, TenantName: 'bravo', State: 'Enabled', CreationDate: new Date(t.clock.now), KeyCount: 2, UserCount: 2 });
    expect(Tenants.map((x: { TenantName: string }) => x.TenantName)).toEqual(expect.arrayContaining(['operator', 'alpha', 'bravo']));
    for (const x of Tenants) expect(Object.keys(x).sort()).toEqual(['AccountId', 'CreationDate', 'KeyCount', 'State', 'TenantName', 'UserCount']);
    // no key of bravo is named anywhere in the answer
    const bravoKeys = (await t.call('ListKeys', {}, b)).Keys.map((k: { KeyId: string }) => k.KeyId);
    expect(bravoKeys).toHaveLength(2);
    for (const id of bravoKeys) expect(JSON.stringify(Tenants)).not.toContain(id);
  });
});

describe('DisableTenant / EnableTenant', () => {
  it('a disabled tenant can neither sign in nor call, even with a session opened before; enabled again, it works', async () => {
    const foxtrot = await newTenant(t, 'foxtrot');
    const user = await newUser(t, 'fox', { as: foxtrot, managed: ['KeyUser'] });
    const KeyId = (await t.call('CreateKey', {}, foxtrot)).KeyMetadata.KeyId;
    const { Tenant } = await t.call('DisableTenant', { AccountId: foxtrot.account });
    expect(Tenant).toMatchObject({ AccountId: foxtrot.account, TenantName: 'foxtrot', State: 'Disabled' });
    await refused(signIn(t, 'admin', passphraseOf('foxtrot'), 'foxtrot'), 'AccessDeniedException');
    await refused(signIn(t, 'fox', passphraseOf('fox'), 'foxtrot'), 'AccessDeniedException');
    for (const caller of [foxtrot, user]) {
      await refused(t.call('DescribeKey', { KeyId }, caller), 'AccessDeniedException');
      await refused(t.call('GetCallerIdentity', {}, caller), 'AccessDeniedException');
    }
    expect((await t.call('ListTenants')).Tenants.find((x: { AccountId: string }) => x.AccountId === foxtrot.account)?.State).toBe('Disabled');
    // other tenants are untouched
    await t.call('ListKeys', {}, b);

    expect((await t.call('EnableTenant', { AccountId: foxtrot.account })).Tenant.State).toBe('Enabled');
    await t.call('DescribeKey', { KeyId }, foxtrot);
    await signIn(t, 'fox', passphraseOf('fox'), 'foxtrot');
  });

  it('the operator tenant cannot be disabled; an unknown account is NotFoundException', async () => {
    await refused(t.call('DisableTenant', { AccountId: t.admin.account }), 'ValidationException');
    await refused(t.call('DisableTenant', { AccountId: '000000000000' }), 'NotFoundException');
    await refused(t.call('EnableTenant', { AccountId: '000000000000' }), 'NotFoundException');
    await refused(t.call('DisableTenant', { AccountId: '12345' }), 'ValidationException');
  });
});

describe('isolation', () => {
  let bKey: { KeyId: string; Arn: string };
  let blob: Uint8Array;
  let token: string;
  beforeAll(async () => {
    bKey = (await t.call('CreateKey', { Description: 'bravo secret' }, b)).KeyMetadata;
    await t.call('CreateAlias', { AliasName: 'alias/shared-name', TargetKeyId: bKey.KeyId }, b);
    blob = (await t.call('Encrypt', { KeyId: bKey.KeyId, Plaintext: Buffer.from('bravo only') }, b)).CiphertextBlob;
    await newUser(t, 'bravo-grantee', { as: b });
    token = (await t.call('CreateGrant', { KeyId: bKey.KeyId, GranteePrincipal: 'bravo-grantee', Operations: ['Encrypt'] }, b)).GrantToken;
  });

  it("a key of tenant B is NotFound to tenant A's admin by id, by ARN, and by alias", async () => {
    for (const KeyId of [bKey.KeyId, bKey.Arn, 'alias/shared-name', `arn:strongroom:kms:local-1:${b.account}:alias/shared-name`]) {
      await refused(t.call('DescribeKey', { KeyId }, a), 'NotFoundException');
      await refused(t.call('Encrypt', { KeyId, Plaintext: Buffer.from('x') }, a), 'NotFoundException');
    }
    for (const KeyId of [bKey.KeyId, bKey.Arn]) {
      for (const [op, input] of [
        ['GetKeyPolicy', {}],
        ['PutKeyPolicy', { Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}', BypassPolicyLockoutSafetyCheck: true }],
        ['ScheduleKeyDeletion', {}],
        ['DisableKey', {}],
        ['ListGrants', {}],
        ['GetKeyAccessMatrix', {}],
        ['TagResource', { Tags: [{ TagKey: 'stolen', TagValue: 'yes' }] }],
      ] as const) {
        await refused(t.call(op, { KeyId, ...input }, a), 'NotFoundException');
      }
    }
    // and B's key is as it was
    const meta = (await t.call('DescribeKey', { KeyId: bKey.KeyId }, b)).KeyMetadata;
    expect(meta).toMatchObject({ KeyState: 'Enabled', Description: 'bravo secret' });
    expect((await t.call('ListResourceTags', { KeyId: bKey.KeyId }, b)).Tags).toEqual([]);
  });

  it("B's ciphertext does not decrypt in A, and B's grant token is no token in A", async () => {
    await refused(t.call('Decrypt', { CiphertextBlob: blob }, a), 'InvalidCiphertextException');
    await refused(t.call('Decrypt', { CiphertextBlob: blob, KeyId: bKey.Arn }, a), 'NotFoundException');
    const aKey = (await t.call('CreateKey', {}, a)).KeyMetadata.KeyId;
    await refused(t.call('Encrypt', { KeyId: aKey, Plaintext: Buffer.from('x'), GrantTokens: [token] }, a), 'InvalidGrantTokenException');
    await refused(t.call('RetireGrant', { GrantToken: token }, a), 'InvalidGrantTokenException');
  });

  it('ListKeys and ListAliases never show another tenant\'s keys; alias names are per tenant', async () => {
    const aKey = (await t.call('CreateKey', {}, a)).KeyMetadata;
    await t.call('CreateAlias', { AliasName: 'alias/shared-name', TargetKeyId: aKey.KeyId }, a);
    const aKeys = (await t.call('ListKeys', {}, a)).Keys;
    expect(aKeys.length).toBeGreaterThan(0);
    for (const k of aKeys) expect(k.KeyArn).toContain(`:${a.account}:key/`);
    expect(aKeys.map((k: { KeyId: string }) => k.KeyId)).not.toContain(bKey.KeyId);
    const aliases = (await t.call('ListAliases', {}, a)).Aliases;
    expect(aliases.find((x: { AliasName: string }) => x.AliasName === 'alias/shared-name')?.TargetKeyId).toBe(aKey.KeyId);
    for (const x of aliases) expect(x.AliasArn).toContain(`:${a.account}:alias/`);
    expect((await t.call('DescribeKey', { KeyId: 'alias/shared-name' }, b)).KeyMetadata.KeyId).toBe(bKey.KeyId);
    // the operator's admin sees neither
    const opKeys = (await t.call('ListKeys')).Keys.map((k: { KeyId: string }) => k.KeyId);
    expect(opKeys).not.toContain(bKey.KeyId);
    expect(opKeys).not.toContain(aKey.KeyId);
  });

  it("users, groups and policies of B are invisible to A; B's users cannot be named in A's keys and grants", async () => {
    await t.call('CreateGroup', { GroupName: 'bravo-group' }, b);
    expect((await t.call('ListUsers', {}, a)).Users.map((u: { UserName: string }) => u.UserName)).not.toContain('bravo-grantee');
    await refused(t.call('GetUser', { UserName: 'bravo-grantee' }, a), 'NoSuchEntityException');
    await refused(t.call('GetGroup', { GroupName: 'bravo-group' }, a), 'NoSuchEntityException');
    await refused(t.call('AttachUserPolicy', { UserName: 'bravo-grantee', PolicyArn: 'arn:strongroom:iam::aws:policy/StrongroomAdministrator' }, a), 'NoSuchEntityException');
    const bUserArn = `arn:strongroom:iam::${b.account}:user/bravo-grantee`;
    await refused(t.call('CreateKey', { KeyUsers: [bUserArn] }, a), 'MalformedPolicyDocumentException');
    const aKey = (await t.call('CreateKey', {}, a)).KeyMetadata.KeyId;
    await refused(t.call('CreateGrant', { KeyId: aKey, GranteePrincipal: bUserArn, Operations: ['Encrypt'] }, a), 'ValidationException');
    await refused(t.call('ListRetirableGrants', { RetiringPrincipal: bUserArn }, a), 'ValidationException');
  });

  it("a key policy of A that allows everyone ('*') or B's users still lets no one of B use A's key", async () => {
    const bUser = await newUser(t, 'bravo-admin-2', { as: b, managed: ['StrongroomAdministrator'] });
    const open = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' },
        { Sid: 'Bravo', Effect: 'Allow', Principal: { AWS: [`arn:strongroom:iam::${b.account}:root`, bUser.arn] }, Action: 'kms:*', Resource: '*' },
      ],
    });
    const aKey = (await t.call('CreateKey', { Policy: open }, a)).KeyMetadata;
    for (const caller of [b, bUser]) {
      await refused(t.call('Encrypt', { KeyId: aKey.Arn, Plaintext: Buffer.from('x') }, caller), 'NotFoundException');
      await refused(t.call('GetKeyPolicy', { KeyId: aKey.Arn }, caller), 'NotFoundException');
    }
  });

  it("audit records are per tenant: A's trail holds only A's callers, and B's key cannot be a lookup filter", async () => {
    await t.call('Encrypt', { KeyId: bKey.KeyId, Plaintext: Buffer.from('recorded in bravo') }, b);
    const { Events } = await t.call('LookupEvents', { MaxResults: 1000 }, a);
    expect(Events.length).toBeGreaterThan(0);
    for (const e of Events) {
      const event = JSON.parse(e.CloudTrailEvent);
      expect(event.recipientAccountId).toBe(a.account);
      expect(event.userIdentity.accountId).toBe(a.account);
    }
    expect((await t.call('LookupEvents', { UserName: 'bravo-grantee' }, a)).Events).toEqual([]);
    await refused(t.call('LookupEvents', { KeyId: bKey.Arn }, a), 'NotFoundException');
    // and B sees its own call
    const mine = await t.call('LookupEvents', { EventName: 'Encrypt', MaxResults: 5 }, b);
    expect(mine.Events.length).toBeGreaterThan(0);
  });

  it('a key in another region of the same tenant is NotFound', async () => {
    const west = await t.vault.service.signIn({ tenant: 'alpha', userName: 'admin', passphrase: passphraseOf('alpha'), region: 'west-2', source: 'sdk' });
    const aKey = (await t.call('CreateKey', {}, a)).KeyMetadata;
    await refused(t.call('DescribeKey', { KeyId: aKey.KeyId }, west), 'NotFoundException');
    await refused(t.call('DescribeKey', { KeyId: aKey.Arn }, west), 'NotFoundException');
    expect((await t.call('ListKeys', {}, west)).Keys).toEqual([]);
  });
});
