// Key policies through the service (issue 3): CreateKey's default policy
// with named key administrators and users, CreateKey Policy, GetKeyPolicy,
// PutKeyPolicy with its lockout safety check and the bypass, ListKeyPolicies,
// AWS's evaluation (explicit Deny wins; key policy allows the principal, or
// the root statement plus an identity policy), example policies from the
// AWS KMS Developer Guide put on real keys and exercised, and
// GetKeyAccessMatrix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../main/core/service/caller.js';
import { KEY_ACTIONS } from '../../main/core/operations/key-policies.js';
import { newUser, policy } from '../support/iam.js';
import { refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
let keyAdmin: Caller; // named in key policies; no identity policy
let keyUser: Caller; // named in key policies; no identity policy
let iamAdmin: Caller; // KeyAdministrator managed policy
let nobody: Caller; // no policy anywhere
beforeAll(async () => {
  t = await makeVault();
  keyAdmin = await newUser(t, 'key-admin');
  keyUser = await newUser(t, 'key-user');
  iamAdmin = await newUser(t, 'iam-key-admin', { managed: ['KeyAdministrator'] });
  nobody = await newUser(t, 'nobody');
});
afterAll(() => t.close());

const root = () => `arn:strongroom:iam::${t.admin.account}:root`;
const arnOf = (name: string) => `arn:strongroom:iam::${t.admin.account}:user/${name}`;
const rootStatement = () => ({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: root() }, Action: 'kms:*', Resource: '*' });
const x = Buffer.from('x');
async function key(input: object = {}): Promise<{ KeyId: string; Arn: string }> {
  return (await t.call('CreateKey', input)).KeyMetadata;
}
const getPolicy = async (KeyId: string) => JSON.parse((await t.call('GetKeyPolicy', { KeyId })).Policy);

describe('the default key policy', () => {
  it('CreateKey with KeyAdministrators and KeyUsers (names or ARNs) writes the console policy naming them', async () => {
    const { KeyId } = await key({ KeyAdministrators: ['key-admin'], KeyUsers: [arnOf('key-user')] });
    const doc = await getPolicy(KeyId);
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'Enable IAM User Permissions',
      'Allow access for Key Administrators',
      'Allow use of the key',
      'Allow attachment of persistent resources',
    ]);
    expect(doc.Statement[0]).toEqual(rootStatement());
    expect(doc.Statement[1].Principal).toEqual({ AWS: arnOf('key-admin') });
    expect(doc.Statement[2]).toMatchObject({ Principal: { AWS: arnOf('key-user') }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'] });
    expect(doc.Statement[3].Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  it('key users use the key but do not manage it; key administrators manage it but do not use it', async () => {
    const { KeyId } = await key({ KeyAdministrators: ['key-admin'], KeyUsers: ['key-user'] });
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId, Plaintext: x }, keyUser);
    await t.call('Decrypt', { CiphertextBlob }, keyUser);
    await t.call('DescribeKey', { KeyId }, keyUser);
    for (const [op, input] of [
      ['DisableKey', {}],
      ['PutKeyPolicy', { Policy: policy(rootStatement()) }],
      ['ScheduleKeyDeletion', {}],
      ['GetKeyPolicy', {}],
      // the attachment statement only holds for AWS services (kms:GrantIsForAWSResource)
      ['CreateGrant', { GranteePrincipal: 'nobody', Operations: ['Encrypt'] }],
    ] as const) {
      const e = await refused(t.call(op, { KeyId, ...input }, keyUser), 'AccessDeniedException');
      expect(e.message).toBe(`User: ${arnOf('key-user')} is not authorized to perform: kms:${op} on resource: arn:strongroom:kms:local-1:${t.admin.account}:key/${KeyId}.`);
    }
    await refused(t.call('Encrypt', { KeyId, Plaintext: x }, keyAdmin), 'AccessDeniedException');
    await refused(t.call('Decrypt', { CiphertextBlob }, keyAdmin), 'AccessDeniedException');
    await t.call('UpdateKeyDescription', { KeyId, Description: 'managed' }, keyAdmin);
    await t.call('GetKeyPolicy', { KeyId }, keyAdmin);
    await t.call('DisableKey', { KeyId }, keyAdmin);
    await t.call('EnableKey', { KeyId }, keyAdmin);
    // a key administrator named in one key's policy has nothing on another key, nor in IAM
    const other = await key();
    await refused(t.call('DescribeKey', { KeyId: other.KeyId }, keyAdmin), 'AccessDeniedException');
    await refused(t.call('CreateKey', {}, keyAdmin), 'AccessDeniedException');
  });

  it('key users get the actions of the key usage (signing, MAC, key agreement, RSA encryption)', async () => {
    const actions = async (KeySpec: string, KeyUsage: string) => (await getPolicy((await key({ KeySpec, KeyUsage, KeyUsers: ['key-user'] })).KeyId)).Statement[1].Action;
    expect(await actions('ECC_NIST_P256', 'SIGN_VERIFY')).toEqual(['kms:Sign', 'kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey']);
    expect(await actions('HMAC_256', 'GENERATE_VERIFY_MAC')).toEqual(['kms:GenerateMac', 'kms:VerifyMac', 'kms:DescribeKey']);
    expect(await actions('ECC_NIST_P256', 'KEY_AGREEMENT')).toEqual(['kms:DeriveSharedSecret', 'kms:GetPublicKey', 'kms:DescribeKey']);
    // an RSA encryption key has no data keys, but a public key its users hand out
    expect(await actions('RSA_2048', 'ENCRYPT_DECRYPT')).toEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:GetPublicKey']);
    const rsa = await key({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', KeyUsers: ['key-user'] });
    expect((await t.call('GetPublicKey', { KeyId: rsa.KeyId }, keyUser)).KeySpec).toBe('RSA_2048');
  });

  it('unknown users, other accounts, or Policy together with KeyAdministrators/KeyUsers are refused', async () => {
    const e = await refused(t.call('CreateKey', { KeyUsers: ['ghost'] }), 'MalformedPolicyDocumentException');
    expect(e.message).toContain('KeyUsers');
    await refused(t.call('CreateKey', { KeyAdministrators: ['arn:strongroom:iam::999999999999:user/key-admin'] }), 'MalformedPolicyDocumentException');
    await refused(t.call('CreateKey', { Policy: policy(rootStatement()), KeyUsers: ['key-user'] }), 'ValidationException');
  });
});

describe('GetKeyPolicy, ListKeyPolicies', () => {
  it('the policy is named "default"; other names are refused; aliases are not key ids here', async () => {
    const { KeyId } = await key();
    await t.call('CreateAlias', { AliasName: 'alias/policy-test', TargetKeyId: KeyId });
    expect((await t.call('GetKeyPolicy', { KeyId, PolicyName: 'default' })).PolicyName).toBe('default');
    await refused(t.dispatch('GetKeyPolicy', { KeyId, PolicyName: 'other' }), 'ValidationException');
    await refused(t.call('GetKeyPolicy', { KeyId: 'alias/policy-test' }), 'NotFoundException');
    expect(await t.call('ListKeyPolicies', { KeyId })).toEqual({ PolicyNames: ['default'], Truncated: false });
    await refused(t.call('ListKeyPolicies', { KeyId, Marker: 'more' }), 'InvalidMarkerException');
    await refused(t.call('GetKeyPolicy', { KeyId }, nobody), 'AccessDeniedException');
  });
});

describe('PutKeyPolicy', () => {
  it('replaces the policy; GetKeyPolicy returns it as given', async () => {
    const { KeyId } = await key();
    const doc = policy(rootStatement(), { Sid: 'KeyUser', Effect: 'Allow', Principal: { AWS: arnOf('key-user') }, Action: 'kms:Encrypt', Resource: '*' });
    await refused(t.call('Encrypt', { KeyId, Plaintext: x }, keyUser), 'AccessDeniedException');
    await t.call('PutKeyPolicy', { KeyId, PolicyName: 'default', Policy: doc });
    expect((await t.call('GetKeyPolicy', { KeyId })).Policy).toBe(doc);
    await t.call('Encrypt', { KeyId, Plaintext: x }, keyUser);
  });

  it.each([
    ['not JSON', '{', /JSON/],
    ['a bad Effect', policy({ Effect: 'allow', Principal: '*', Action: 'kms:*', Resource: '*' }), /^Statement\[0\]\.Effect: /],
    ['no Principal', policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }), /^Statement\[0\]\.Principal: /],
    ['a bad principal ARN', policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/Admin' }, Action: 'kms:*', Resource: '*' }), /^Statement\[0\]\.Principal\.AWS/],
    ['an unknown condition operator', policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringEqualz: { 'kms:CallerAccount': '1' } } }), /^Statement\[0\]\.Condition\.StringEqualz: /],
    ['ForAllValues with kms:EncryptionContext:', policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:dept': 'x' } } }), /OverlyPermissiveCondition/],
    ['more than 32 KiB', policy({ Sid: 'x'.repeat(33_000), Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }), /32/],
  ])('%s is MalformedPolicyDocumentException naming where, and the old policy stays', async (_why, Policy, where) => {
    const { KeyId } = await key();
    const before = (await t.call('GetKeyPolicy', { KeyId })).Policy;
    const e = await refused(t.call('PutKeyPolicy', { KeyId, Policy }), 'MalformedPolicyDocumentException');
    expect(e.message).toMatch(where);
    expect((await t.call('GetKeyPolicy', { KeyId })).Policy).toBe(before);
  });

  it('PolicyName other than "default", an alias, or a key pending deletion are refused', async () => {
    const { KeyId } = await key();
    await refused(t.dispatch('PutKeyPolicy', { KeyId, PolicyName: 'mine', Policy: policy(rootStatement()) }), 'ValidationException');
    await t.call('CreateAlias', { AliasName: 'alias/put-policy', TargetKeyId: KeyId });
    await refused(t.call('PutKeyPolicy', { KeyId: 'alias/put-policy', Policy: policy(rootStatement()) }), 'NotFoundException');
    await t.call('ScheduleKeyDeletion', { KeyId });
    await refused(t.call('PutKeyPolicy', { KeyId, Policy: policy(rootStatement()) }), 'KMSInvalidStateException');
  });

  describe('lockout safety check', () => {
    const onlyKeyUser = () => policy({ Sid: 'OnlyUse', Effect: 'Allow', Principal: { AWS: arnOf('key-user') }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' });

    it('refuses a policy that would take kms:PutKeyPolicy from the caller, and keeps the old one', async () => {
      const { KeyId } = await key();
      const e = await refused(t.call('PutKeyPolicy', { KeyId, Policy: onlyKeyUser() }), 'MalformedPolicyDocumentException');
      expect(e.message).toContain('BypassPolicyLockoutSafetyCheck');
      expect(e.message).toContain(t.admin.arn);
      await refused(t.call('PutKeyPolicy', { KeyId, Policy: onlyKeyUser(), BypassPolicyLockoutSafetyCheck: false }), 'MalformedPolicyDocumentException');
      await t.call('PutKeyPolicy', { KeyId, Policy: policy(rootStatement()) });
    });

    it('counts identity policies: the root statement keeps an IAM administrator in, not a user only named before', async () => {
      const { KeyId } = await key({ KeyAdministrators: ['key-admin'] });
      // the named key administrator has no identity policy: the root statement alone would lock it out
      await refused(t.call('PutKeyPolicy', { KeyId, Policy: policy(rootStatement()) }, keyAdmin), 'MalformedPolicyDocumentException');
      // the KeyAdministrator managed policy passes through the root statement
      await t.call('PutKeyPolicy', { KeyId, Policy: policy(rootStatement()) }, iamAdmin);
    });

    it('a Deny of kms:PutKeyPolicy to the caller fails the check', async () => {
      const { KeyId } = await key();
      const deny = policy(rootStatement(), { Sid: 'NoChanges', Effect: 'Deny', Principal: { AWS: t.admin.arn }, Action: 'kms:Put*', Resource: '*' });
      await refused(t.call('PutKeyPolicy', { KeyId, Policy: deny }), 'MalformedPolicyDocumentException');
    });

    it('with BypassPolicyLockoutSafetyCheck the policy is written, and the caller is locked out', async () => {
      const { KeyId } = await key();
      await t.call('PutKeyPolicy', { KeyId, Policy: onlyKeyUser(), BypassPolicyLockoutSafetyCheck: true });
      await refused(t.call('GetKeyPolicy', { KeyId }), 'AccessDeniedException');
      await refused(t.call('PutKeyPolicy', { KeyId, Policy: policy(rootStatement()), BypassPolicyLockoutSafetyCheck: true }), 'AccessDeniedException');
      await refused(t.call('ScheduleKeyDeletion', { KeyId }), 'AccessDeniedException');
      // the user it names can still use it
      await t.call('Encrypt', { KeyId, Plaintext: x }, keyUser);
    });

    it('CreateKey with Policy runs the same check', async () => {
      await refused(t.call('CreateKey', { Policy: onlyKeyUser() }), 'MalformedPolicyDocumentException');
      const { KeyId } = await key({ Policy: onlyKeyUser(), BypassPolicyLockoutSafetyCheck: true });
      await refused(t.call('DescribeKey', { KeyId }), 'AccessDeniedException');
      await t.call('Encrypt', { KeyId, Plaintext: x }, keyUser);
    });
  });
});

describe('evaluation', () => {
  it('without the root statement, identity policies give nothing: not even StrongroomAdministrator', async () => {
    const { KeyId } = await key({
      Policy: policy({ Sid: 'AdminOnly', Effect: 'Allow', Principal: { AWS: t.admin.arn }, Action: 'kms:*', Resource: '*' }),
    });
    const keyUserByIam = await newUser(t, 'iam-key-user', { managed: ['KeyUser'] });
    await refused(t.call('Encrypt', { KeyId, Plaintext: x }, keyUserByIam), 'AccessDeniedException');
    await refused(t.call('DisableKey', { KeyId }, iamAdmin), 'AccessDeniedException');
    await t.call('Encrypt', { KeyId, Plaintext: x });
  });

  it('with the root statement, a principal still needs an identity policy allowing the action', async () => {
    const { KeyId } = await key();
    await refused(t.call('DescribeKey', { KeyId }, nobody), 'AccessDeniedException');
    await t.call('DescribeKey', { KeyId }, iamAdmin);
  });

  it('an explicit Deny in the key policy beats every Allow, the administrator\'s included', async () => {
    const { KeyId } = await key({
      Policy: policy(rootStatement(), { Sid: 'NoDecrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }),
    });
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId, Plaintext: x });
    const e = await refused(t.call('Decrypt', { CiphertextBlob }), 'AccessDeniedException');
    expect(e.message).toContain('with an explicit deny in a key policy');
    // ReEncrypt is authorized by kms:ReEncryptFrom, which the statement does not deny
    await t.call('ReEncrypt', { CiphertextBlob, DestinationKeyId: KeyId });
  });

  it('Deny with NotPrincipal: everyone but the named user and its account', async () => {
    const { KeyId } = await key({
      Policy: policy(rootStatement(), { Sid: 'OnlyAdminDisables', Effect: 'Deny', NotPrincipal: { AWS: [t.admin.arn, root()] }, Action: 'kms:DisableKey', Resource: '*' }),
    });
    await refused(t.call('DisableKey', { KeyId }, iamAdmin), 'AccessDeniedException');
    await t.call('DisableKey', { KeyId });
  });
});

describe('AWS KMS Developer Guide example policies, put on a key and exercised', () => {
  const user = (statement: object) => ({ Effect: 'Allow', Principal: { AWS: arnOf('key-user') }, Resource: '*', ...statement });
  async function keyWith(...statements: object[]): Promise<string> {
    const { KeyId } = await key();
    await t.call('PutKeyPolicy', { KeyId, Policy: policy(rootStatement(), ...statements) });
    return KeyId;
  }

  it('kms:EncryptionContext:context-key — both pairs required ("kms:EncryptionContext:AppName" and "…:FilePath")', async () => {
    const KeyId = await keyWith(
      user({ Action: ['kms:Encrypt', 'kms:GenerateDataKey*'], Condition: { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp', 'kms:EncryptionContext:FilePath': '/var/opt/secrets/' } } }),
    );
    const enc = (EncryptionContext?: Record<string, string>) => t.call('Encrypt', { KeyId, Plaintext: x, ...(EncryptionContext ? { EncryptionContext } : {}) }, keyUser);
    await enc({ AppName: 'ExampleApp', FilePath: '/var/opt/secrets/' });
    await enc({ AppName: 'ExampleApp', FilePath: '/var/opt/secrets/', Extra: '1' });
    // "the context-key name is not case sensitive, the value is"
    await enc({ appname: 'ExampleApp', filepath: '/var/opt/secrets/' });
    await refused(enc({ AppName: 'exampleapp', FilePath: '/var/opt/secrets/' }), 'AccessDeniedException');
    await refused(enc({ AppName: 'ExampleApp' }), 'AccessDeniedException');
    await refused(enc(), 'AccessDeniedException');
    await t.call('GenerateDataKey', { KeyId, KeySpec: 'AES_256', EncryptionContext: { AppName: 'ExampleApp', FilePath: '/var/opt/secrets/' } }, keyUser);
  });

  it('kms:EncryptionContext with StringLike: any file under a path', async () => {
    const KeyId = await keyWith(user({ Action: 'kms:Encrypt', Condition: { StringLike: { 'kms:EncryptionContext:FilePath': '/var/opt/secrets/*' } } }));
    await t.call('Encrypt', { KeyId, Plaintext: x, EncryptionContext: { FilePath: '/var/opt/secrets/db.key' } }, keyUser);
    await refused(t.call('Encrypt', { KeyId, Plaintext: x, EncryptionContext: { FilePath: '/etc/passwd' } }, keyUser), 'AccessDeniedException');
  });

  it('kms:EncryptionContextKeys with ForAnyValue:StringEquals — require an encryption context with the key AppName', async () => {
    const KeyId = await keyWith(user({ Action: ['kms:Encrypt', 'kms:Decrypt'], Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' } } }));
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId, Plaintext: x, EncryptionContext: { AppName: 'Any', Other: 'y' } }, keyUser);
    await t.call('Decrypt', { CiphertextBlob, EncryptionContext: { AppName: 'Any', Other: 'y' } }, keyUser);
    await refused(t.call('Encrypt', { KeyId, Plaintext: x, EncryptionContext: { Other: 'y' } }, keyUser), 'AccessDeniedException');
    await refused(t.call('Encrypt', { KeyId, Plaintext: x }, keyUser), 'AccessDeniedException');
  });

  it('kms:EncryptionContextKeys with ForAllValues:StringEquals and Null — only the listed keys, and some context', async () => {
    const KeyId = await keyWith(
      user({
        Action: 'kms:Encrypt',
        Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName', 'FilePath'] }, Null: { 'kms:EncryptionContextKeys': 'false' } },
      }),
    );
    const enc = (EncryptionContext?: Record<string, string>) => t.call('Encrypt', { KeyId, Plaintext: x, ...(EncryptionContext ? { EncryptionContext } : {}) }, keyUser);
    await enc({ AppName: 'a' });
    await enc({ AppName: 'a', FilePath: 'b' });
    await refused(enc({ AppName: 'a', Owner: 'c' }), 'AccessDeniedException');
    await refused(enc(), 'AccessDeniedException');
  });

  it('kms:CallerAccount with Principal "*" (the AWS managed key policy shape): every user of the account, no one else', async () => {
    const KeyId = await keyWith({
      Sid: 'Allow access for all principals in the account',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': t.admin.account } },
    });
    await t.call('Encrypt', { KeyId, Plaintext: x }, nobody);
    await refused(t.call('DisableKey', { KeyId }, nobody), 'AccessDeniedException');
    // with kms:ViaService, as AWS writes it for EBS: Strongroom has no integrated services, so it never matches
    const viaService = await keyWith({
      Sid: 'Allow access through EBS for all principals in the account that are authorized to use EBS',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': t.admin.account, 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } },
    });
    await refused(t.call('Encrypt', { KeyId: viaService, Plaintext: x }, nobody), 'AccessDeniedException');
  });

  it('kms:EncryptionAlgorithm — an RSA key usable only with RSAES_OAEP_SHA_256', async () => {
    const { KeyId } = await key({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    await t.call('PutKeyPolicy', {
      KeyId,
      Policy: policy(rootStatement(), user({ Action: ['kms:Encrypt', 'kms:Decrypt'], Condition: { StringEquals: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' } } })),
    });
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId, Plaintext: x, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }, keyUser);
    await t.call('Decrypt', { KeyId, CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }, keyUser);
    await refused(t.call('Encrypt', { KeyId, Plaintext: x, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }, keyUser), 'AccessDeniedException');
  });

  it('aws:PrincipalArn with ArnNotEquals in a Deny — only the security team deletes keys', async () => {
    const KeyId = await keyWith({
      Sid: 'DenyDeletionExceptSecurity',
      Effect: 'Deny',
      Principal: '*',
      Action: ['kms:ScheduleKeyDeletion', 'kms:Delete*'],
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': arnOf('iam-key-admin') } },
    });
    await refused(t.call('ScheduleKeyDeletion', { KeyId }), 'AccessDeniedException');
    await t.call('ScheduleKeyDeletion', { KeyId }, iamAdmin);
  });

  it('StringNotEquals on an encryption context key in a Deny', async () => {
    const KeyId = await keyWith({
      Sid: 'DenyOutsideProduction',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringNotEquals: { 'kms:EncryptionContext:stage': 'prod' } },
    });
    const prod = await t.call('Encrypt', { KeyId, Plaintext: x, EncryptionContext: { stage: 'prod' } });
    const dev = await t.call('Encrypt', { KeyId, Plaintext: x, EncryptionContext: { stage: 'dev' } });
    await t.call('Decrypt', { CiphertextBlob: prod.CiphertextBlob, EncryptionContext: { stage: 'prod' } });
    await refused(t.call('Decrypt', { CiphertextBlob: dev.CiphertextBlob, EncryptionContext: { stage: 'dev' } }), 'AccessDeniedException');
  });
});

describe('condition keys of the management operations (KMS Developer Guide "AWS KMS condition keys" examples)', () => {
  it('kms:BypassPolicyLockoutSafetyCheck: an IAM policy that denies using the bypass flag', async () => {
    // the guide's example, Statement as a single object and `true` as a JSON boolean
    const denyBypass = JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Deny', Action: ['kms:CreateKey', 'kms:PutKeyPolicy'], Resource: '*', Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': true } } },
    });
    const wary = await newUser(t, 'wary-admin', { managed: ['StrongroomAdministrator'], inline: { 'no-bypass': denyBypass } });
    const { KeyId } = (await t.call('CreateKey', {}, wary)).KeyMetadata;
    await refused(t.call('PutKeyPolicy', { KeyId, Policy: policy(rootStatement()), BypassPolicyLockoutSafetyCheck: true }, wary), 'AccessDeniedException');
    await refused(t.call('CreateKey', { Policy: policy(rootStatement()), BypassPolicyLockoutSafetyCheck: true }, wary), 'AccessDeniedException');
    await t.call('PutKeyPolicy', { KeyId, Policy: policy(rootStatement()), BypassPolicyLockoutSafetyCheck: false }, wary);
    await t.call('PutKeyPolicy', { KeyId, Policy: policy(rootStatement()) }, wary);
    await t.call('CreateKey', { Policy: policy(rootStatement()) }, wary);
  });

  it('kms:ScheduleKeyDeletionPendingWindowInDays: no deletion window under 21 days', async () => {
    const { KeyId } = await key({
      Policy: policy(rootStatement(), {
        Sid: 'MinimumWaitingPeriod',
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:ScheduleKeyDeletion',
        Resource: '*',
        Condition: { NumericLessThan: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '21' } },
      }),
    });
    await refused(t.call('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 7 }), 'AccessDeniedException');
    await refused(t.call('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 20 }), 'AccessDeniedException');
    expect((await t.call('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 21 })).PendingWindowInDays).toBe(21);
  });

  it('kms:RotationPeriodInDays: rotation at least every 180 days', async () => {
    const { KeyId } = await key({
      Policy: policy(rootStatement(), {
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:EnableKeyRotation',
        Resource: '*',
        Condition: { NumericGreaterThan: { 'kms:RotationPeriodInDays': '180' } },
      }),
    });
    await refused(t.call('EnableKeyRotation', { KeyId }), 'AccessDeniedException'); // the default is 365 days
    await refused(t.call('EnableKeyRotation', { KeyId, RotationPeriodInDays: 365 }), 'AccessDeniedException');
    await t.call('EnableKeyRotation', { KeyId, RotationPeriodInDays: 90 });
  });

  it('kms:KeySpec, kms:KeyUsage and kms:KeyOrigin on CreateKey in an IAM policy', async () => {
    const symmetricOnly = await newUser(t, 'symmetric-only', {
      inline: { create: policy({ Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { StringEquals: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyOrigin': 'AWS_KMS' } } }) },
    });
    await t.call('CreateKey', {}, symmetricOnly);
    await refused(t.call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, symmetricOnly), 'AccessDeniedException');
    await refused(t.call('CreateKey', { Origin: 'EXTERNAL' }, symmetricOnly), 'AccessDeniedException');
    const noSigning = await newUser(t, 'no-signing', {
      managed: ['StrongroomAdministrator'],
      inline: { deny: policy({ Effect: 'Deny', Action: 'kms:CreateKey', Resource: '*', Condition: { StringEquals: { 'kms:KeyUsage': 'SIGN_VERIFY' } } }) },
    });
    await refused(t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, noSigning), 'AccessDeniedException');
    await t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }, noSigning);
  });
});

describe('GetKeyAccessMatrix', () => {
  type Row = { Principal: string; UserName: string; Decisions: { Action: string; Decision: string; Source?: string; PolicyName?: string; Sid?: string; Reason: string }[] };
  let rows: Row[];
  let actions: string[];
  beforeAll(async () => {
    const { KeyId } = await key({ KeyAdministrators: ['key-admin'], KeyUsers: ['key-user'] });
    const doc = await getPolicy(KeyId);
    doc.Statement.push({ Sid: 'NoDecryptForKeyUser', Effect: 'Deny', Principal: { AWS: arnOf('key-user') }, Action: 'kms:Decrypt', Resource: '*' });
    await t.call('PutKeyPolicy', { KeyId, Policy: JSON.stringify(doc) });
    await t.call('CreateGrant', { KeyId, GranteePrincipal: 'nobody', Operations: ['Encrypt'] });
    const out = await t.call('GetKeyAccessMatrix', { KeyId });
    expect(out.KeyId).toBe(KeyId);
    rows = out.Principals;
    actions = out.Actions;
  });
  const cell = (user: string, action: string) => rows.find((r) => r.UserName === user)!.Decisions.find((d) => d.Action === action)!;

  it('one row per user of the tenant, one decision per key action', async () => {
    expect(actions).toEqual(KEY_ACTIONS);
    const users = (await t.call('ListUsers')).Users.map((u: { UserName: string }) => u.UserName);
    expect(rows.map((r) => r.UserName).sort()).toEqual(users.sort());
    for (const r of rows) {
      expect(r.Principal).toBe(arnOf(r.UserName));
      expect(r.Decisions.map((d) => d.Action)).toEqual(KEY_ACTIONS);
    }
  });

  it('the admin is allowed everything, through its identity policy and the root statement', () => {
    for (const d of rows.find((r) => r.UserName === 'admin')!.Decisions) {
      expect(d, d.Action).toMatchObject({ Decision: 'Allow', Source: 'identity-policy', PolicyName: 'arn:strongroom:iam::aws:policy/StrongroomAdministrator' });
      expect(d.Reason).toContain('Enable IAM User Permissions');
    }
  });

  it('the named key user may Encrypt, not PutKeyPolicy; its Decrypt is denied by the Sid that says so', () => {
    expect(cell('key-user', 'kms:Encrypt')).toMatchObject({ Decision: 'Allow', Source: 'key-policy', PolicyName: 'default', Sid: 'Allow use of the key' });
    expect(cell('key-user', 'kms:PutKeyPolicy')).toMatchObject({ Decision: 'ImplicitDeny' });
    expect(cell('key-user', 'kms:PutKeyPolicy').Sid).toBeUndefined();
    expect(cell('key-user', 'kms:Decrypt')).toMatchObject({ Decision: 'Deny', Source: 'key-policy', Sid: 'NoDecryptForKeyUser' });
    expect(cell('key-user', 'kms:Sign')).toMatchObject({ Decision: 'ImplicitDeny' });
  });

  it('the named key administrator manages but does not use; the IAM key administrator likewise', () => {
    expect(cell('key-admin', 'kms:PutKeyPolicy')).toMatchObject({ Decision: 'Allow', Sid: 'Allow access for Key Administrators' });
    expect(cell('key-admin', 'kms:ScheduleKeyDeletion').Decision).toBe('Allow');
    expect(cell('key-admin', 'kms:Encrypt').Decision).toBe('ImplicitDeny');
    expect(cell('iam-key-admin', 'kms:DisableKey')).toMatchObject({ Decision: 'Allow', Source: 'identity-policy', PolicyName: 'arn:strongroom:iam::aws:policy/KeyAdministrator' });
    expect(cell('iam-key-admin', 'kms:Decrypt').Decision).toBe('ImplicitDeny');
  });

  it('a grant shows as the source of the grantee\'s Encrypt; everything else of a user with no policy is denied', () => {
    expect(cell('nobody', 'kms:Encrypt')).toMatchObject({ Decision: 'Allow', Source: 'grant' });
    for (const d of rows.find((r) => r.UserName === 'nobody')!.Decisions.filter((d) => d.Action !== 'kms:Encrypt')) expect(d.Decision, d.Action).toBe('ImplicitDeny');
  });

  it('covers importing key material: the key administrator may (kms:Get*, kms:Delete*) get parameters and delete material, not import it; the key user none', () => {
    expect(actions).toEqual(expect.arrayContaining(['kms:GetParametersForImport', 'kms:ImportKeyMaterial', 'kms:DeleteImportedKeyMaterial']));
    expect(cell('key-admin', 'kms:GetParametersForImport')).toMatchObject({ Decision: 'Allow', Sid: 'Allow access for Key Administrators' });
    expect(cell('key-admin', 'kms:DeleteImportedKeyMaterial').Decision).toBe('Allow');
    expect(cell('key-admin', 'kms:ImportKeyMaterial').Decision).toBe('ImplicitDeny');
    for (const action of ['kms:GetParametersForImport', 'kms:ImportKeyMaterial']) expect(cell('key-user', action).Decision, action).toBe('ImplicitDeny');
  });

  it('needs kms:GetKeyPolicy', async () => {
    const { KeyId } = await key({ KeyUsers: ['key-user'] });
    await refused(t.call('GetKeyAccessMatrix', { KeyId }, keyUser), 'AccessDeniedException');
    await t.call('GetKeyAccessMatrix', { KeyId }, iamAdmin);
  });
});
