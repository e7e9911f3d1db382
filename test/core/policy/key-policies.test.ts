// The console's default key policy per key usage, the lockout safety
// check, and the managed identity policies.
import { describe, expect, it } from 'vitest';
import { parseIdentityPolicy, parseKeyPolicy } from '../../../main/core/policy/document.js';
import { evaluate, type IdentityPolicy } from '../../../main/core/policy/evaluate.js';
import { defaultKeyPolicy, lockoutCheck } from '../../../main/core/policy/key-policies.js';
import { MANAGED_POLICIES, managedPolicyByArn } from '../../../main/core/policy/managed-policies.js';
import { ACCOUNT, expectMalformed, KEY_ARN, OTHER, policy, request, root, user } from './helpers.js';

const ADMIN = user('keyadmin');
const ALICE = user('alice');
const BOB = user('bob');
const ADMIN_ACTIONS = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'];

type Stmt = { Sid: string; Effect: string; Principal: { AWS: string | string[] }; Action: string | string[]; Resource: string; Condition?: unknown };
const statements = (json: string): Stmt[] => JSON.parse(json).Statement;

describe('defaultKeyPolicy', () => {
  it('ENCRYPT_DECRYPT: the four console statements', () => {
    const json = defaultKeyPolicy(ACCOUNT, { keyAdministrators: [ADMIN], keyUsers: [ALICE, BOB], keyUsage: 'ENCRYPT_DECRYPT' });
    const doc = JSON.parse(json);
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Id).toBe('key-consolepolicy-3');
    expect(doc.Statement).toEqual([
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: root() }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: { AWS: ADMIN }, Action: ADMIN_ACTIONS, Resource: '*' },
      { Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: [ALICE, BOB] }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' },
      {
        Sid: 'Allow attachment of persistent resources',
        Effect: 'Allow',
        Principal: { AWS: [ALICE, BOB] },
        Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    ]);
    expect(parseKeyPolicy(json).statements).toHaveLength(4);
  });

  it.each([
    ['SIGN_VERIFY', undefined, ['kms:Sign', 'kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey']],
    ['GENERATE_VERIFY_MAC', undefined, ['kms:GenerateMac', 'kms:VerifyMac', 'kms:DescribeKey']],
    ['KEY_AGREEMENT', undefined, ['kms:DeriveSharedSecret', 'kms:GetPublicKey', 'kms:DescribeKey']],
    ['ENCRYPT_DECRYPT', 'SYMMETRIC_DEFAULT', ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']],
    ['ENCRYPT_DECRYPT', 'RSA_2048', ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:GetPublicKey']],
  ])('%s (%s): key users get %j', (keyUsage, keySpec, actions) => {
    const st = statements(defaultKeyPolicy(ACCOUNT, { keyAdministrators: [], keyUsers: [ALICE], keyUsage, ...(keySpec ? { keySpec } : {}) }));
    expect(st.find((s) => s.Sid === 'Allow use of the key')!.Action).toEqual(actions);
    expect(st.find((s) => s.Sid === 'Allow use of the key')!.Principal).toEqual({ AWS: ALICE });
  });

  it('omits the administrator and user statements when nobody is named, and de-duplicates', () => {
    expect(statements(defaultKeyPolicy(ACCOUNT, { keyAdministrators: [], keyUsers: [], keyUsage: 'ENCRYPT_DECRYPT' })).map((s) => s.Sid)).toEqual(['Enable IAM User Permissions']);
    expect(statements(defaultKeyPolicy(ACCOUNT, { keyAdministrators: [ADMIN], keyUsers: [], keyUsage: 'SIGN_VERIFY' })).map((s) => s.Sid)).toEqual([
      'Enable IAM User Permissions',
      'Allow access for Key Administrators',
    ]);
    expect(statements(defaultKeyPolicy(ACCOUNT, { keyAdministrators: [], keyUsers: [ALICE, ALICE], keyUsage: 'ENCRYPT_DECRYPT' }))[1]!.Principal).toEqual({ AWS: ALICE });
  });

  it('rejects a bad principal ARN and an unknown key usage', () => {
    expectMalformed(() => defaultKeyPolicy(ACCOUNT, { keyAdministrators: ['bob'], keyUsers: [], keyUsage: 'ENCRYPT_DECRYPT' }), 'Statement[1].Principal.AWS: expected');
    expect(() => defaultKeyPolicy(ACCOUNT, { keyAdministrators: [], keyUsers: [], keyUsage: 'WRAP' })).toThrow(
      expect.objectContaining({ name: 'ValidationException', message: expect.stringContaining('Unknown KeyUsage "WRAP"') }),
    );
  });

  it('grants for key users only with kms:GrantIsForAWSResource', () => {
    const doc = parseKeyPolicy(defaultKeyPolicy(ACCOUNT, { keyAdministrators: [], keyUsers: [ALICE], keyUsage: 'ENCRYPT_DECRYPT' }));
    expect(evaluate(request(ALICE, 'kms:CreateGrant'), doc, []).effect).toBe('ImplicitDeny');
    expect(evaluate(request(ALICE, 'kms:CreateGrant', { context: { 'kms:grantisforawsresource': 'true' } }), doc, []).effect).toBe('Allow');
  });
});

describe('lockoutCheck', () => {
  const admins: IdentityPolicy[] = [{ name: MANAGED_POLICIES.StrongroomAdministrator.arn, document: MANAGED_POLICIES.StrongroomAdministrator.document }];

  it('true when the new policy names the caller as key administrator', () => {
    const json = defaultKeyPolicy(ACCOUNT, { keyAdministrators: [ADMIN], keyUsers: [], keyUsage: 'ENCRYPT_DECRYPT' });
    expect(lockoutCheck(json, ADMIN, ACCOUNT, [])).toBe(true);
    expect(lockoutCheck(parseKeyPolicy(json), ADMIN, ACCOUNT, [], KEY_ARN)).toBe(true);
  });

  it('through the root statement only with an identity policy allowing kms:PutKeyPolicy', () => {
    const json = defaultKeyPolicy(ACCOUNT, { keyAdministrators: [], keyUsers: [ALICE], keyUsage: 'ENCRYPT_DECRYPT' });
    expect(lockoutCheck(json, BOB, ACCOUNT, admins)).toBe(true);
    expect(lockoutCheck(json, BOB, ACCOUNT, [])).toBe(false);
    expect(lockoutCheck(json, ALICE, ACCOUNT, [])).toBe(false);
    expect(lockoutCheck(json, root(), ACCOUNT, [])).toBe(true);
  });

  it('false for a policy that leaves the caller out, or denies PutKeyPolicy', () => {
    expect(lockoutCheck(policy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' }), BOB, ACCOUNT, admins)).toBe(false);
    const denies = policy({ Effect: 'Allow', Principal: { AWS: BOB }, Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Principal: '*', Action: 'kms:Put*', Resource: '*' });
    expect(lockoutCheck(denies, BOB, ACCOUNT, admins)).toBe(false);
    expect(lockoutCheck(policy({ Effect: 'Allow', Principal: { AWS: BOB }, Action: 'kms:*', Resource: '*' }), user('bob', OTHER), OTHER, admins)).toBe(false);
  });

  it('a policy naming the key ARN in Resource counts only when the key ARN is given', () => {
    const json = policy({ Effect: 'Allow', Principal: { AWS: BOB }, Action: 'kms:PutKeyPolicy', Resource: KEY_ARN });
    expect(lockoutCheck(json, BOB, ACCOUNT, [], KEY_ARN)).toBe(true);
    expect(lockoutCheck(json, BOB, ACCOUNT, [])).toBe(false);
  });

  it('a malformed policy throws MalformedPolicyDocumentException', () => {
    expectMalformed(() => lockoutCheck('{', BOB, ACCOUNT, []), 'not valid JSON');
  });
});

describe('managed policies', () => {
  const KEY = parseKeyPolicy(defaultKeyPolicy(ACCOUNT, { keyAdministrators: [], keyUsers: [], keyUsage: 'ENCRYPT_DECRYPT' }));
  const can = (name: keyof typeof MANAGED_POLICIES, action: string, keyed = true) =>
    evaluate(request(BOB, action, keyed ? {} : { resourceArn: '*' }), keyed ? KEY : undefined, [{ name, document: MANAGED_POLICIES[name].document }]).effect === 'Allow';

  it('ARNs and lookup', () => {
    expect(Object.keys(MANAGED_POLICIES)).toEqual(['StrongroomAdministrator', 'KeyAdministrator', 'KeyUser', 'AuditReader']);
    for (const [name, p] of Object.entries(MANAGED_POLICIES)) {
      expect(p.arn).toBe(`arn:strongroom:iam::aws:policy/${name}`);
      expect(p.document.kind).toBe('identity');
      expect(managedPolicyByArn(p.arn)).toBe(p);
      // Round-trips through the parser, so it is valid for put-user-policy too.
      expect(parseIdentityPolicy(JSON.stringify(p.document.source)).statements).toHaveLength(p.document.statements.length);
    }
    expect(managedPolicyByArn('arn:strongroom:iam::aws:policy/Nope')).toBeUndefined();
  });

  it('StrongroomAdministrator: everything, IAM and tenants included', () => {
    for (const a of ['kms:Decrypt', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion']) expect(can('StrongroomAdministrator', a)).toBe(true);
    for (const a of ['iam:CreateUser', 'iam:AttachUserPolicy', 'tenant:CreateTenant', 'audit:ExportEvents', 'sts:GetCallerIdentity']) expect(can('StrongroomAdministrator', a, false)).toBe(true);
  });

  it('KeyAdministrator: lifecycle, no cryptographic use, no IAM', () => {
    for (const a of ['kms:DescribeKey', 'kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:EnableKey', 'kms:DisableKey', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:TagResource', 'kms:CreateAlias', 'kms:RotateKeyOnDemand', 'kms:ListGrants', 'kms:RevokeGrant']) {
      expect(can('KeyAdministrator', a)).toBe(true);
    }
    for (const a of ['kms:CreateKey', 'kms:ListKeys', 'kms:ListAliases']) expect(can('KeyAdministrator', a, false)).toBe(true);
    for (const a of ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKey', 'kms:Sign', 'kms:Verify', 'kms:GenerateMac', 'kms:DeriveSharedSecret']) {
      expect(can('KeyAdministrator', a)).toBe(false);
    }
    expect(can('KeyAdministrator', 'iam:CreateUser', false)).toBe(false);
  });

  it('KeyUser: cryptographic use, DescribeKey and GetPublicKey; no grants, no administration', () => {
    for (const a of ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair', 'kms:Sign', 'kms:Verify', 'kms:GenerateMac', 'kms:VerifyMac', 'kms:DeriveSharedSecret', 'kms:GetPublicKey', 'kms:DescribeKey']) {
      expect(can('KeyUser', a)).toBe(true);
    }
    for (const a of ['kms:ListKeys', 'kms:ListAliases']) expect(can('KeyUser', a, false)).toBe(true);
    for (const a of ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant', 'kms:PutKeyPolicy', 'kms:DisableKey', 'kms:ScheduleKeyDeletion']) expect(can('KeyUser', a)).toBe(false);
    expect(can('KeyUser', 'kms:CreateKey', false)).toBe(false);
  });

  it('AuditReader: the audit trail and key listing only', () => {
    for (const a of ['audit:LookupEvents', 'audit:ExportEvents', 'audit:VerifyEvents', 'kms:ListKeys', 'kms:ListAliases']) expect(can('AuditReader', a, false)).toBe(true);
    expect(can('AuditReader', 'kms:DescribeKey')).toBe(true);
    for (const a of ['kms:Encrypt', 'kms:Decrypt', 'kms:GetKeyPolicy']) expect(can('AuditReader', a)).toBe(false);
    expect(can('AuditReader', 'iam:ListUsers', false)).toBe(false);
  });
});
