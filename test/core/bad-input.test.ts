// Bad input for every operation in the table: missing required fields,
// wrong types and unknown fields are ValidationException, and a refused
// request leaves every table of the vault exactly as it was. An operation
// added to the contract (CONTRACT) without a case here fails this file (the
// `app` operations are checked by AppSession: test/session/).
//
// Each case gives valid inputs that together use every field of the
// operation's schema; the bad inputs are derived from them, and the valid
// ones must then succeed, so each bad input differs from an accepted one in
// exactly the one way under test. Before they run, the first valid input is
// tried by a user with no policy: AccessDeniedException, nothing written.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySpec, KeyUsage } from '../../main/api/enums.js';
import { CONTRACT, SERVICE_OPERATION_NAMES, type InputOf, type ServiceOperationName } from '../../main/api/index.js';
import type { ApprovalRequiredError } from '../../main/core/errors.js';
import type { Caller } from '../../main/core/service/caller.js';
import { wrapMaterial } from '../support/import.js';
import { DbSnapshots, refused } from '../support/kms.js';
import { ADMIN_PASSPHRASE, makeVault, type TestVault } from '../support/vault.js';

type Input = Record<string, unknown>;

let t: TestVault;
let snapshots: DbSnapshots;
let powerless: Caller; // a user with no policy at all
beforeAll(async () => {
  t = await makeVault();
  await t.call('CreateUser', { UserName: 'powerless' });
  await t.call('CreateLoginProfile', { UserName: 'powerless', Password: 'powerless passphrase' });
  powerless = await t.vault.service.signIn({ userName: 'powerless', passphrase: 'powerless passphrase', region: 'local-1', source: 'sdk' });
  // The audit trail records every call, refused ones too (issue 3), and has its own tests; here "unchanged" means the vault's state.
  // So do failed sign-ins, which are also counted in sign_in_failures (issue 9; test/core/sign-in-throttle.test.ts).
  snapshots = await DbSnapshots.open(t, { ignoreTable: (table) => table.startsWith('audit_') || table === 'sign_in_failures' });
});
afterAll(async () => {
  await snapshots.close();
  await t.close();
});

let serial = 0;
const fx = {
  async key(): Promise<string> {
    return (await t.call('CreateKey', { Tags: [{ TagKey: 'a', TagValue: 'b' }, { TagKey: 'c', TagValue: 'd' }] })).KeyMetadata.KeyId;
  },
  async pendingKey(): Promise<string> {
    const KeyId = await fx.key();
    await t.call('ScheduleKeyDeletion', { KeyId });
    return KeyId;
  },
  async alias(KeyId: string): Promise<string> {
    const AliasName = `alias/bad-input-${++serial}`;
    await t.call('CreateAlias', { AliasName, TargetKeyId: KeyId });
    return AliasName;
  },
  async ciphertext(KeyId: string, EncryptionContext: Record<string, string>): Promise<Buffer> {
    return Buffer.from((await t.call('Encrypt', { KeyId, Plaintext: Buffer.from('bad input'), EncryptionContext })).CiphertextBlob);
  },
  /** a real NextMarker of a list operation */
  async marker(op: string, input: Input): Promise<string> {
    const { NextMarker } = await t.dispatch(op, { ...input, Limit: 1 });
    expect(typeof NextMarker, `${op} should have returned a NextMarker`).toBe('string');
    return NextMarker;
  },
  async asymmetricKey(KeySpec: KeySpec, KeyUsage: KeyUsage): Promise<string> {
    return (await t.call('CreateKey', { KeySpec, KeyUsage })).KeyMetadata.KeyId;
  },
  /** a grant on the key that admin may retire; its token is a valid GrantTokens entry */
  async grant(KeyId: string): Promise<{ GrantId: string; GrantToken: string }> {
    return t.call('CreateGrant', { KeyId, GranteePrincipal: 'admin', RetiringPrincipal: 'admin', Operations: ['DescribeKey'] });
  },
  async user(opts: { login?: boolean; policy?: boolean; inline?: boolean; group?: string } = {}): Promise<string> {
    const UserName = `bad-input-user-${++serial}`;
    await t.call('CreateUser', { UserName });
    if (opts.login) await t.call('CreateLoginProfile', { UserName, Password: 'a fine passphrase' });
    if (opts.policy) await t.call('AttachUserPolicy', { UserName, PolicyArn: KEY_USER });
    if (opts.inline) await t.call('PutUserPolicy', { UserName, PolicyName: 'describe', PolicyDocument: identityPolicy });
    if (opts.group) await t.call('AddUserToGroup', { UserName, GroupName: opts.group });
    return UserName;
  },
  async group(opts: { policy?: boolean; inline?: boolean } = {}): Promise<string> {
    const GroupName = `bad-input-group-${++serial}`;
    await t.call('CreateGroup', { GroupName });
    if (opts.policy) await t.call('AttachGroupPolicy', { GroupName, PolicyArn: KEY_USER });
    if (opts.inline) await t.call('PutGroupPolicy', { GroupName, PolicyName: 'describe', PolicyDocument: identityPolicy });
    return GroupName;
  },
  /** an EXTERNAL key and ImportKeyMaterial's input for it (not yet imported) */
  async importable(): Promise<InputOf<'ImportKeyMaterial'>> {
    const KeyId = (await t.call('CreateKey', { Origin: 'EXTERNAL' })).KeyMetadata.KeyId;
    const params = await t.call('GetParametersForImport', { KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    return { KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapMaterial(params.PublicKey, 'RSAES_OAEP_SHA_256', Buffer.alloc(32, 7)) };
  },
  async tenant(): Promise<string> {
    return (await t.call('CreateTenant', { TenantName: `bad-input-tenant-${++serial}`, AdminPassword: 'a fine passphrase' })).Tenant.AccountId;
  },
  /** The group of the approval rule: admin and `requester` (an administrator), who is returned signed in. */
  async approvers(): Promise<Caller> {
    approvers ??= (async () => {
      await t.call('CreateGroup', { GroupName: QUORUM_RULE.GroupName });
      const requester = await fx.user({ login: true, group: QUORUM_RULE.GroupName });
      await t.call('AttachUserPolicy', { UserName: requester, PolicyArn: 'arn:strongroom:iam::aws:policy/StrongroomAdministrator' });
      await t.call('AddUserToGroup', { GroupName: QUORUM_RULE.GroupName, UserName: 'admin' });
      return t.vault.service.signIn({ userName: requester, passphrase: 'a fine passphrase', region: 'local-1', source: 'sdk' });
    })();
    return approvers;
  },
  async quorum(): Promise<Caller> {
    const requester = await fx.approvers();
    if ((await t.call('GetApprovalRules', {})).Rules.length === 0) await t.call('PutApprovalRules', { Rules: [QUORUM_RULE] });
    return requester;
  },
  /** An approval request for PutApprovalRules, made by `by` (default: the requester, so that admin may decide it); approved by the other. */
  async request(opts: { by?: 'admin' | 'requester'; approved?: boolean } = {}): Promise<{ RequestId: string; RequestHash: string }> {
    const requester = await fx.quorum();
    const [maker, approver] = opts.by === 'admin' ? [t.admin, requester] : [requester, t.admin];
    const held = (await refused(t.call('PutApprovalRules', { Rules: [QUORUM_RULE] }, maker), 'ApprovalRequiredException')) as ApprovalRequiredError;
    const RequestId = held.approvalRequestId;
    const { RequestHash } = (await t.call('GetApprovalRequest', { RequestId })).Request;
    if (opts.approved) await t.call('ApproveRequest', { RequestId, RequestHash }, approver);
    return { RequestId, RequestHash };
  },
};
let approvers: Promise<Caller> | undefined;
const QUORUM_RULE = { Actions: ['approval:PutApprovalRules'], GroupName: 'bad-input-approvers', MinApprovals: 1 };

const tag = { TagKey: 'env', TagValue: 'test' };
const ec = { purpose: 'bad-input' };
const KEY_USER = 'arn:strongroom:iam::aws:policy/KeyUser';
const DAY = 86_400_000;
const message = Buffer.from('bad input');
const rootPolicy = () =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${t.admin.account}:root` }, Action: 'kms:*', Resource: '*' }] });
const identityPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' }] });

/** Valid inputs per operation, together covering every field of its schema. */
const CASES: Record<string, () => Promise<Input[]>> = {
  CreateKey: async () => [
    { Description: 'd', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS', Tags: [tag], MultiRegion: false },
    { CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' },
    { Policy: rootPolicy(), BypassPolicyLockoutSafetyCheck: false },
    { KeyAdministrators: ['admin'], KeyUsers: [`arn:strongroom:iam::${t.admin.account}:user/admin`] },
  ],
  DescribeKey: async () => {
    const KeyId = await fx.key();
    return [{ KeyId, GrantTokens: [(await fx.grant(KeyId)).GrantToken] }];
  },
  ListKeys: async () => {
    await fx.key();
    await fx.key();
    return [{ Limit: 1, Marker: await fx.marker('ListKeys', {}) }];
  },
  UpdateKeyDescription: async () => [{ KeyId: await fx.key(), Description: 'new description' }],
  EnableKey: async () => [{ KeyId: await fx.key() }],
  DisableKey: async () => [{ KeyId: await fx.key() }],
  ScheduleKeyDeletion: async () => [{ KeyId: await fx.key(), PendingWindowInDays: 7 }],
  CancelKeyDeletion: async () => [{ KeyId: await fx.pendingKey() }],
  CreateAlias: async () => [{ AliasName: `alias/bad-input-new-${++serial}`, TargetKeyId: await fx.key() }],
  UpdateAlias: async () => [{ AliasName: await fx.alias(await fx.key()), TargetKeyId: await fx.key() }],
  DeleteAlias: async () => [{ AliasName: await fx.alias(await fx.key()) }],
  ListAliases: async () => {
    const KeyId = await fx.key();
    await fx.alias(KeyId);
    await fx.alias(KeyId);
    return [{ KeyId, Limit: 1, Marker: await fx.marker('ListAliases', { KeyId }) }];
  },
  TagResource: async () => [{ KeyId: await fx.key(), Tags: [tag] }],
  UntagResource: async () => [{ KeyId: await fx.key(), TagKeys: ['a'] }],
  ListResourceTags: async () => {
    const KeyId = await fx.key();
    return [{ KeyId, Limit: 1, Marker: await fx.marker('ListResourceTags', { KeyId }) }];
  },
  Encrypt: async () => {
    const KeyId = await fx.key();
    return [{ KeyId, Plaintext: Buffer.from('hello'), EncryptionContext: ec, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', GrantTokens: [(await fx.grant(KeyId)).GrantToken], DryRun: false }];
  },
  Decrypt: async () => {
    const KeyId = await fx.key();
    const GrantTokens = [(await fx.grant(KeyId)).GrantToken];
    return [{ CiphertextBlob: await fx.ciphertext(KeyId, ec), EncryptionContext: ec, KeyId, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', GrantTokens, DryRun: false }];
  },
  ReEncrypt: async () => {
    const KeyId = await fx.key();
    return [
      {
        CiphertextBlob: await fx.ciphertext(KeyId, ec),
        SourceEncryptionContext: ec,
        SourceKeyId: KeyId,
        DestinationKeyId: await fx.key(),
        DestinationEncryptionContext: { purpose: 'moved' },
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        GrantTokens: [(await fx.grant(KeyId)).GrantToken],
        DryRun: false,
      },
    ];
  },
  GenerateDataKey: async () => {
    const KeyId = await fx.key();
    return [{ KeyId, EncryptionContext: ec, KeySpec: 'AES_256', GrantTokens: [(await fx.grant(KeyId)).GrantToken], DryRun: false }, { KeyId, NumberOfBytes: 64 }];
  },
  GenerateDataKeyWithoutPlaintext: async () => {
    const KeyId = await fx.key();
    return [{ KeyId, EncryptionContext: ec, KeySpec: 'AES_128', GrantTokens: [(await fx.grant(KeyId)).GrantToken], DryRun: false }, { KeyId, NumberOfBytes: 64 }];
  },
  GenerateRandom: async () => [{ NumberOfBytes: 16 }],
  EnableKeyRotation: async () => [{ KeyId: await fx.key(), RotationPeriodInDays: 90 }],
  DisableKeyRotation: async () => [{ KeyId: await fx.key() }],
  GetKeyRotationStatus: async () => [{ KeyId: await fx.key() }],
  RotateKeyOnDemand: async () => [{ KeyId: await fx.key() }],
  ListKeyRotations: async () => {
    const KeyId = await fx.key();
    await t.call('RotateKeyOnDemand', { KeyId });
    await t.call('RotateKeyOnDemand', { KeyId });
    return [
      { KeyId, Limit: 1, Marker: await fx.marker('ListKeyRotations', { KeyId }) },
      { KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' },
    ];
  },
  GetKeyLastUsage: async () => [{ KeyId: await fx.key() }],
  // key policies
  GetKeyPolicy: async () => [{ KeyId: await fx.key(), PolicyName: 'default' }],
  PutKeyPolicy: async () => [{ KeyId: await fx.key(), PolicyName: 'default', Policy: rootPolicy(), BypassPolicyLockoutSafetyCheck: false }],
  // Marker: see NEVER_VALID
  ListKeyPolicies: async () => [{ KeyId: await fx.key(), Limit: 10 }],
  GetKeyAccessMatrix: async () => [{ KeyId: await fx.key() }],
  // grants
  CreateGrant: async () => {
    const KeyId = await fx.key();
    return [
      {
        KeyId,
        GranteePrincipal: 'admin',
        RetiringPrincipal: `arn:strongroom:iam::${t.admin.account}:user/admin`,
        Operations: ['Encrypt', 'Decrypt'],
        Constraints: { EncryptionContextSubset: ec },
        Name: 'bad-input',
        GrantTokens: [(await fx.grant(KeyId)).GrantToken],
        DryRun: false,
      },
    ];
  },
  ListGrants: async () => {
    const KeyId = await fx.key();
    const { GrantId } = await fx.grant(KeyId);
    await fx.grant(KeyId);
    return [
      { KeyId, Limit: 1, Marker: await fx.marker('ListGrants', { KeyId }) },
      { KeyId, GrantId, GranteePrincipal: 'admin' },
    ];
  },
  ListRetirableGrants: async () => {
    const KeyId = await fx.key();
    await fx.grant(KeyId);
    await fx.grant(KeyId);
    return [{ RetiringPrincipal: 'admin', Limit: 1, Marker: await fx.marker('ListRetirableGrants', { RetiringPrincipal: 'admin' }) }];
  },
  RetireGrant: async () => {
    const KeyId = await fx.key();
    return [{ GrantToken: (await fx.grant(KeyId)).GrantToken, DryRun: false }, { KeyId, GrantId: (await fx.grant(KeyId)).GrantId }];
  },
  RevokeGrant: async () => {
    const KeyId = await fx.key();
    return [{ KeyId, GrantId: (await fx.grant(KeyId)).GrantId, DryRun: false }];
  },
  // asymmetric and HMAC keys
  Sign: async () => {
    const KeyId = await fx.asymmetricKey('ECC_NIST_P256', 'SIGN_VERIFY');
    return [{ KeyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: [(await fx.grant(KeyId)).GrantToken], DryRun: false }];
  },
  Verify: async () => {
    const KeyId = await fx.asymmetricKey('ECC_NIST_P256', 'SIGN_VERIFY');
    const { Signature } = await t.call('Sign', { KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' });
    return [{ KeyId, Message: message, MessageType: 'RAW', Signature, SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: [(await fx.grant(KeyId)).GrantToken], DryRun: false }];
  },
  GenerateMac: async () => {
    const KeyId = await fx.asymmetricKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    return [{ KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', GrantTokens: [(await fx.grant(KeyId)).GrantToken], DryRun: false }];
  },
  VerifyMac: async () => {
    const KeyId = await fx.asymmetricKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    const { Mac } = await t.call('GenerateMac', { KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' });
    return [{ KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', Mac, GrantTokens: [(await fx.grant(KeyId)).GrantToken], DryRun: false }];
  },
  DeriveSharedSecret: async () => {
    const KeyId = await fx.asymmetricKey('ECC_NIST_P256', 'KEY_AGREEMENT');
    const PublicKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    return [{ KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey, GrantTokens: [(await fx.grant(KeyId)).GrantToken], DryRun: false }];
  },
  GetPublicKey: async () => {
    const KeyId = await fx.asymmetricKey('ECC_NIST_P256', 'SIGN_VERIFY');
    return [{ KeyId, GrantTokens: [(await fx.grant(KeyId)).GrantToken] }];
  },
  ExportPublicKey: async () => {
    const KeyId = await fx.asymmetricKey('ECC_NIST_P256', 'SIGN_VERIFY');
    return [{ KeyId, Format: 'pem', GrantTokens: [(await fx.grant(KeyId)).GrantToken] }];
  },
  GenerateDataKeyPair: async () => {
    const KeyId = await fx.key();
    return [{ KeyId, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: ec, GrantTokens: [(await fx.grant(KeyId)).GrantToken], DryRun: false }];
  },
  GenerateDataKeyPairWithoutPlaintext: async () => {
    const KeyId = await fx.key();
    return [{ KeyId, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: ec, GrantTokens: [(await fx.grant(KeyId)).GrantToken], DryRun: false }];
  },
  // imported key material
  GetParametersForImport: async () => [
    { KeyId: (await t.call('CreateKey', { Origin: 'EXTERNAL' })).KeyMetadata.KeyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_2048' },
  ],
  ImportKeyMaterial: async () => [{ ...(await fx.importable()), ValidTo: new Date(t.clock.now + 30 * DAY), ExpirationModel: 'KEY_MATERIAL_EXPIRES' }],
  DeleteImportedKeyMaterial: async () => {
    const input = await fx.importable();
    await t.call('ImportKeyMaterial', { ...input, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    return [{ KeyId: input['KeyId'] }];
  },
  // IAM
  CreateUser: async () => [{ UserName: `bad-input-new-user-${++serial}` }],
  GetUser: async () => [{ UserName: 'admin' }],
  ListUsers: async () => [{}],
  DeleteUser: async () => [{ UserName: await fx.user({ login: true, policy: true }) }],
  CreateLoginProfile: async () => [{ UserName: await fx.user(), Password: 'a fine passphrase', PasswordResetRequired: true }],
  GetLoginProfile: async () => [{ UserName: await fx.user({ login: true }) }, {}],
  UpdateLoginProfile: async () => [{ UserName: await fx.user({ login: true }), Password: 'a new fine passphrase', PasswordResetRequired: true }],
  DeleteLoginProfile: async () => [{ UserName: await fx.user({ login: true }) }],
  // there and back again: later tests sign in with the original passphrase
  ChangePassword: async () => [
    { OldPassword: ADMIN_PASSPHRASE, NewPassword: 'a passphrase for a moment' },
    { OldPassword: 'a passphrase for a moment', NewPassword: ADMIN_PASSPHRASE },
  ],
  DisableUser: async () => [{ UserName: await fx.user({ login: true }) }],
  EnableUser: async () => {
    const UserName = await fx.user({ login: true });
    await t.call('DisableUser', { UserName });
    return [{ UserName }];
  },
  CreateGroup: async () => [{ GroupName: `bad-input-new-group-${++serial}` }],
  ListGroups: async () => [{}],
  GetGroup: async () => [{ GroupName: await fx.group() }],
  ListGroupsForUser: async () => [{ UserName: 'admin' }],
  AddUserToGroup: async () => [{ GroupName: await fx.group(), UserName: await fx.user() }],
  RemoveUserFromGroup: async () => {
    const GroupName = await fx.group();
    return [{ GroupName, UserName: await fx.user({ group: GroupName }) }];
  },
  AttachUserPolicy: async () => [{ UserName: await fx.user(), PolicyArn: KEY_USER }],
  AttachGroupPolicy: async () => [{ GroupName: await fx.group(), PolicyArn: KEY_USER }],
  DetachUserPolicy: async () => [{ UserName: await fx.user({ policy: true }), PolicyArn: KEY_USER }],
  DetachGroupPolicy: async () => [{ GroupName: await fx.group({ policy: true }), PolicyArn: KEY_USER }],
  PutUserPolicy: async () => [{ UserName: await fx.user(), PolicyName: 'describe', PolicyDocument: identityPolicy }],
  PutGroupPolicy: async () => [{ GroupName: await fx.group(), PolicyName: 'describe', PolicyDocument: identityPolicy }],
  DeleteUserPolicy: async () => [{ UserName: await fx.user({ inline: true }), PolicyName: 'describe' }],
  DeleteGroupPolicy: async () => [{ GroupName: await fx.group({ inline: true }), PolicyName: 'describe' }],
  ListPolicies: async () => [{}],
  ListPrincipalPolicies: async () => [{ UserName: 'admin' }, { GroupName: await fx.group({ policy: true }) }],
  // audit trail
  LookupEvents: async () => {
    const KeyId = await fx.key();
    const { NextToken } = await t.call('LookupEvents', { MaxResults: 1 });
    expect(typeof NextToken, 'LookupEvents should have returned a NextToken').toBe('string');
    const day = (n: number) => new Date(t.clock.now + n * DAY);
    return [
      { StartTime: day(-1), EndTime: day(1), EventName: 'CreateKey', UserName: 'admin', KeyId, MaxResults: 5 },
      { MaxResults: 1, NextToken },
    ];
  },
  ExportEvents: async () => [{}],
  VerifyEvents: async () => [{}],
  GetAuditPublicKey: async () => [{}],
  // STS and tenants
  GetCallerIdentity: async () => [{}],
  CreateTenant: async () => [{ TenantName: `bad-input-new-tenant-${++serial}`, AdminPassword: 'a fine passphrase' }],
  ListTenants: async () => [{}],
  DisableTenant: async () => [{ AccountId: await fx.tenant() }],
  EnableTenant: async () => {
    const AccountId = await fx.tenant();
    await t.call('DisableTenant', { AccountId });
    return [{ AccountId }];
  },
  // approvals: runs before any rule exists (the contract lists it first), so it is not held
  PutApprovalRules: async () => {
    await fx.approvers();
    return [{ Rules: [QUORUM_RULE], RequestExpiryHours: 24 }];
  },
  GetApprovalRules: async () => [{}],
  ListApprovalRequests: async () => {
    await fx.request();
    await fx.request();
    return [{ Status: 'Pending', Limit: 1, Marker: await fx.marker('ListApprovalRequests', {}) }];
  },
  GetApprovalRequest: async () => [{ RequestId: (await fx.request()).RequestId }],
  ApproveRequest: async () => [await fx.request()],
  RejectRequest: async () => [{ RequestId: (await fx.request()).RequestId }],
  ExecuteApprovalRequest: async () => [{ RequestId: (await fx.request({ by: 'admin', approved: true })).RequestId }],
};

/**
 * Fields no valid input can carry, with a well-typed value: their bad
 * values are still checked (added to the first valid input), but they are
 * left out of the inputs that must succeed. ListKeyPolicies: a key has one
 * policy, so the list is never truncated and no Marker is ever valid
 * (InvalidMarkerException).
 */
const NEVER_VALID: Record<string, Input> = {
  ListKeyPolicies: { Marker: 'never-returned' },
};

/** Values of the wrong type for a field whose valid value is `v` (type mistakes a caller or an adapter could make). */
function wrongValues(v: unknown): unknown[] {
  if (typeof v === 'string') return [42, ['x'], { S: v }];
  if (typeof v === 'number') return [String(v), true, [v]];
  if (typeof v === 'boolean') return [String(v), 0];
  if (v instanceof Uint8Array) return [Buffer.from(v).toString('base64'), Array.from(v), {}];
  if (Array.isArray(v)) {
    const out: unknown[] = ['x', {}];
    const first: unknown = v[0];
    if (first !== undefined && typeof first === 'object' && first !== null) {
      for (const [k, inner] of Object.entries(first)) {
        for (const w of wrongValues(inner)) out.push([{ ...first, [k]: w }]);
        const { [k]: _omit, ...without } = first as Record<string, unknown>;
        out.push([without]);
      }
      out.push([{ ...first, Unknown: 'x' }]);
    } else if (first !== undefined) {
      out.push(wrongValues(first));
    }
    return out;
  }
  if (typeof v === 'object' && v !== null) {
    const [k] = Object.keys(v);
    return ['k=v', [['k', 'v']], ...(k ? [{ ...v, [k]: 1 }, { ...v, [k]: null }] : [])];
  }
  throw new Error(`no wrong values for ${typeof v}`);
}

const fieldsOf = (name: ServiceOperationName): Record<string, { safeParse(v: unknown): { success: boolean } }> =>
  (CONTRACT[name].input as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;

describe('bad input for every operation → ValidationException, vault unchanged', () => {
  it('a snapshot notices a write (so equal snapshots mean something)', async () => {
    const before = await snapshots.take();
    const KeyId = await fx.key();
    const afterCreate = await snapshots.take();
    expect(afterCreate).not.toBe(before);
    await t.call('UpdateKeyDescription', { KeyId, Description: 'changed' });
    expect(await snapshots.take()).not.toBe(afterCreate);
  });

  it('the case table names exactly the operations of the contract', () => {
    expect(SERVICE_OPERATION_NAMES.length).toBeGreaterThan(0);
    expect(Object.keys(CASES).sort()).toEqual([...SERVICE_OPERATION_NAMES].sort());
  });

  // the case table is untyped (inputs built to be varied field by field): its calls go through dispatch
  for (const name of SERVICE_OPERATION_NAMES) {
    it(name, async () => {
      const makeCases = CASES[name];
      if (!makeCases) throw new Error(`No bad-input case for the operation ${name}: add its valid inputs to CASES in ${import.meta.url}.`);
      const valid = await makeCases();
      const never = NEVER_VALID[name];
      const fields = fieldsOf(name);
      expect(new Set([...valid, never ?? {}].flatMap((v) => Object.keys(v))), 'the valid inputs must use every field of the schema').toEqual(new Set(Object.keys(fields)));
      const required = Object.keys(fields).filter((k) => !fields[k]!.safeParse(undefined).success);

      const bad: { why: string; input: unknown; mentions?: string }[] = [];
      for (const notAnObject of ['KeyId', 42, true, [], [valid[0]]]) bad.push({ why: `input ${JSON.stringify(notAnObject)}`, input: notAnObject });
      for (const v of never ? [...valid, { ...valid[0], ...never }] : valid) {
        for (const k of required) {
          const { [k]: _omit, ...rest } = v;
          bad.push({ why: `missing ${k}`, input: rest, mentions: k });
          bad.push({ why: `${k} null`, input: { ...v, [k]: null }, mentions: k });
        }
        for (const [k, value] of Object.entries(v)) {
          for (const w of wrongValues(value)) bad.push({ why: `${k} = ${JSON.stringify(w)}`, input: { ...v, [k]: w }, mentions: k });
        }
        bad.push({ why: 'an unknown field', input: { ...v, Bogus: 1 }, mentions: 'Bogus' });
        const [first] = Object.keys(v);
        if (first) {
          const { [first]: value, ...rest } = v;
          bad.push({ why: `${first} spelled in camelCase`, input: { ...rest, [first[0]!.toLowerCase() + first.slice(1)]: value } });
        }
      }
      if (required.length) bad.push({ why: 'no input at all', input: undefined }, { why: 'an empty object', input: {} });

      const before = await snapshots.take();
      for (const { why, input, mentions } of bad) {
        const err = await refused(t.dispatch(name, input), 'ValidationException').catch((e: Error) => {
          throw new Error(`${name} with ${why}: ${e.message}`);
        });
        if (mentions) expect(err.message, `${name} with ${why}`).toContain(`'${mentions}`);
        expect(await snapshots.take(), `${name} with ${why} changed the vault`).toBe(before);
      }
      expect(bad.length).toBeGreaterThan(3);

      // a valid input from a user with no policy: refused (but the self-service GetCallerIdentity and ListApprovalRequests), nothing written
      if (name !== 'GetCallerIdentity' && name !== 'ListApprovalRequests') {
        await refused(t.dispatch(name, valid[0], powerless), 'AccessDeniedException').catch((e: Error) => {
          throw new Error(`${name} by a user with no policy: ${e.message}`);
        });
        expect(await snapshots.take(), `${name} by a user with no policy changed the vault`).toBe(before);
      }

      for (const v of valid) await t.dispatch(name, v);
    });
  }
});

describe('refused requests of every kind leave the vault unchanged', () => {
  let key: string;
  let pending: string;
  let disabled: string;
  let exhausted: string;
  let blob: Buffer;
  beforeAll(async () => {
    key = await fx.key();
    await t.call('CreateAlias', { AliasName: 'alias/taken', TargetKeyId: key });
    pending = await fx.pendingKey();
    disabled = await fx.key();
    await t.call('DisableKey', { KeyId: disabled });
    exhausted = await fx.key();
    for (let i = 0; i < 10; i++) await t.call('RotateKeyOnDemand', { KeyId: exhausted });
    blob = await fx.ciphertext(key, ec);
    await t.call('CreateUser', { UserName: 'no-login-profile' });
  });
  const lockout = () => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${t.admin.account}:user/no-login-profile` }, Action: 'kms:*', Resource: '*' }] });

  const cases: [string, string, () => Input, string][] = [
    ['oversized plaintext', 'Encrypt', () => ({ KeyId: key, Plaintext: Buffer.alloc(4 * 1024 * 1024 + 1) }), 'ValidationException'],
    ['empty plaintext', 'Encrypt', () => ({ KeyId: key, Plaintext: Buffer.alloc(0) }), 'ValidationException'],
    ['a bad alias name', 'CreateAlias', () => ({ AliasName: 'alias/aws/mine', TargetKeyId: key }), 'InvalidAliasNameException'],
    ['an alias name without the prefix', 'CreateAlias', () => ({ AliasName: 'mine', TargetKeyId: key }), 'InvalidAliasNameException'],
    ['a duplicate alias', 'CreateAlias', () => ({ AliasName: 'alias/taken', TargetKeyId: key }), 'AlreadyExistsException'],
    ['an alias as TargetKeyId', 'CreateAlias', () => ({ AliasName: 'alias/new-one', TargetKeyId: 'alias/taken' }), 'NotFoundException'],
    ['an unknown key', 'DisableKey', () => ({ KeyId: '00000000-0000-4000-8000-000000000000' }), 'NotFoundException'],
    ['an unknown key', 'TagResource', () => ({ KeyId: '00000000-0000-4000-8000-000000000000', Tags: [tag] }), 'NotFoundException'],
    ['a key in another region', 'ScheduleKeyDeletion', () => ({ KeyId: `arn:strongroom:kms:other-1:${t.admin.account}:key/${key}` }), 'NotFoundException'],
    ['an alias where AWS takes a key id', 'UpdateKeyDescription', () => ({ KeyId: 'alias/taken', Description: 'x' }), 'NotFoundException'],
    ['a key pending deletion', 'EnableKey', () => ({ KeyId: pending }), 'KMSInvalidStateException'],
    ['a key pending deletion', 'TagResource', () => ({ KeyId: pending, Tags: [tag] }), 'KMSInvalidStateException'],
    ['a key pending deletion', 'Encrypt', () => ({ KeyId: pending, Plaintext: Buffer.from('x') }), 'KMSInvalidStateException'],
    ['a key not pending deletion', 'CancelKeyDeletion', () => ({ KeyId: key }), 'KMSInvalidStateException'],
    ['a disabled key', 'RotateKeyOnDemand', () => ({ KeyId: disabled }), 'DisabledException'],
    ['a disabled key', 'GenerateDataKey', () => ({ KeyId: disabled, KeySpec: 'AES_256' }), 'DisabledException'],
    ['an 11th on-demand rotation', 'RotateKeyOnDemand', () => ({ KeyId: exhausted }), 'LimitExceededException'],
    ['a 6-day deletion window', 'ScheduleKeyDeletion', () => ({ KeyId: key, PendingWindowInDays: 6 }), 'ValidationException'],
    ['an 89-day rotation period', 'EnableKeyRotation', () => ({ KeyId: key, RotationPeriodInDays: 89 }), 'ValidationException'],
    ['51 tags', 'TagResource', () => ({ KeyId: key, Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `t${i}`, TagValue: '' })) }), 'TagException'],
    ['an aws: tag', 'CreateKey', () => ({ Tags: [{ TagKey: 'aws:x', TagValue: '' }] }), 'TagException'],
    ['MultiRegion', 'CreateKey', () => ({ MultiRegion: true }), 'UnsupportedOperationException'],
    ['both KeySpec and NumberOfBytes', 'GenerateDataKey', () => ({ KeyId: key, KeySpec: 'AES_256', NumberOfBytes: 32 }), 'ValidationException'],
    ['a tampered blob', 'Decrypt', () => ({ CiphertextBlob: flip(blob, 40), EncryptionContext: ec }), 'InvalidCiphertextException'],
    ['a tampered blob', 'ReEncrypt', () => ({ CiphertextBlob: flip(blob, 40), SourceEncryptionContext: ec, DestinationKeyId: key }), 'InvalidCiphertextException'],
    ['the wrong context', 'ReEncrypt', () => ({ CiphertextBlob: blob, DestinationKeyId: key }), 'InvalidCiphertextException'],
    ['another key as SourceKeyId', 'ReEncrypt', () => ({ CiphertextBlob: blob, SourceEncryptionContext: ec, SourceKeyId: disabled, DestinationKeyId: key }), 'IncorrectKeyException'],
    ['a bogus marker', 'ListKeys', () => ({ Marker: 'bogus' }), 'InvalidMarkerException'],
    ['a malformed key policy', 'PutKeyPolicy', () => ({ KeyId: key, Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}' }), 'MalformedPolicyDocumentException'],
    ['a key policy that locks the caller out', 'PutKeyPolicy', () => ({ KeyId: key, Policy: lockout() }), 'MalformedPolicyDocumentException'],
    ['a key policy that locks the caller out', 'CreateKey', () => ({ Policy: lockout() }), 'MalformedPolicyDocumentException'],
    ['an unknown key user', 'CreateKey', () => ({ KeyUsers: ['ghost'] }), 'MalformedPolicyDocumentException'],
    ['Policy and KeyUsers together', 'CreateKey', () => ({ Policy: lockout(), KeyUsers: ['admin'] }), 'ValidationException'],
    ['a key pending deletion', 'PutKeyPolicy', () => ({ KeyId: pending, Policy: lockout(), BypassPolicyLockoutSafetyCheck: true }), 'KMSInvalidStateException'],
    ['a bogus grant token', 'Encrypt', () => ({ KeyId: key, Plaintext: Buffer.from('x'), GrantTokens: ['bogus'] }), 'InvalidGrantTokenException'],
    ['an unknown grant', 'RevokeGrant', () => ({ KeyId: key, GrantId: '0'.repeat(64) }), 'InvalidGrantIdException'],
    ['an unknown grant', 'RetireGrant', () => ({ KeyId: key, GrantId: '0'.repeat(64) }), 'InvalidGrantIdException'],
    ['an unknown grantee', 'CreateGrant', () => ({ KeyId: key, GranteePrincipal: 'ghost', Operations: ['Encrypt'] }), 'ValidationException'],
    ['constraints on Sign', 'CreateGrant', () => ({ KeyId: key, GranteePrincipal: 'admin', Operations: ['Sign'], Constraints: { EncryptionContextEquals: ec } }), 'ValidationException'],
    ['a grant on a disabled key', 'CreateGrant', () => ({ KeyId: disabled, GranteePrincipal: 'admin', Operations: ['Encrypt'] }), 'DisabledException'],
    ['an existing user', 'CreateUser', () => ({ UserName: 'admin' }), 'EntityAlreadyExistsException'],
    ['an existing login profile', 'CreateLoginProfile', () => ({ UserName: 'admin', Password: 'a fine passphrase' }), 'EntityAlreadyExistsException'],
    ['a short passphrase', 'CreateLoginProfile', () => ({ UserName: 'no-login-profile', Password: 'short' }), 'PasswordPolicyViolationException'],
    ['a wrong current passphrase', 'ChangePassword', () => ({ OldPassword: 'not the passphrase', NewPassword: 'a fine passphrase' }), 'AccessDeniedException'],
    ['the same passphrase', 'ChangePassword', () => ({ OldPassword: ADMIN_PASSPHRASE, NewPassword: ADMIN_PASSPHRASE }), 'PasswordPolicyViolationException'],
    ['a short passphrase', 'UpdateLoginProfile', () => ({ UserName: 'admin', Password: 'short', PasswordResetRequired: true }), 'PasswordPolicyViolationException'],
    ['no login profile', 'UpdateLoginProfile', () => ({ UserName: 'no-login-profile', Password: 'a fine passphrase' }), 'NoSuchEntityException'],
    ['an inline policy that is not there', 'DeleteUserPolicy', () => ({ UserName: 'admin', PolicyName: 'none' }), 'NoSuchEntityException'],
    ['an unknown group', 'DeleteGroupPolicy', () => ({ GroupName: 'ghosts', PolicyName: 'none' }), 'NoSuchEntityException'],
    ['yourself', 'DeleteUser', () => ({ UserName: 'admin' }), 'DeleteConflictException'],
    ['yourself', 'DisableUser', () => ({ UserName: 'admin' }), 'DeleteConflictException'],
    ['an unknown user', 'DeleteUser', () => ({ UserName: 'ghost' }), 'NoSuchEntityException'],
    ['an unknown managed policy', 'AttachUserPolicy', () => ({ UserName: 'admin', PolicyArn: 'arn:strongroom:iam::aws:policy/Everything' }), 'NoSuchEntityException'],
    ['a policy not attached', 'DetachUserPolicy', () => ({ UserName: 'no-login-profile', PolicyArn: 'arn:strongroom:iam::aws:policy/KeyUser' }), 'NoSuchEntityException'],
    ['an identity policy with a Principal', 'PutUserPolicy', () => ({ UserName: 'admin', PolicyName: 'p', PolicyDocument: lockout() }), 'MalformedPolicyDocumentException'],
    ['an existing tenant name', 'CreateTenant', () => ({ TenantName: 'operator', AdminPassword: 'a fine passphrase' }), 'AlreadyExistsException'],
    ['a bad tenant name', 'CreateTenant', () => ({ TenantName: '../etc', AdminPassword: 'a fine passphrase' }), 'ValidationException'],
    ['the operator tenant', 'DisableTenant', () => ({ AccountId: t.admin.account }), 'ValidationException'],
    ['an unknown tenant', 'EnableTenant', () => ({ AccountId: '000000000000' }), 'NotFoundException'],
    ['an unknown operation', 'DeleteEverything', () => ({}), 'ValidationException'],
    ['an inherited property name as operation', 'constructor', () => ({}), 'ValidationException'],
  ];

  it.each(cases.map(([why, op, input, error]) => [why, op, error, input] as const))('%s (%s) → %s', async (_why, op, error, input) => {
    const before = await snapshots.take();
    await refused(t.dispatch(op, input()), error);
    expect(await snapshots.take()).toBe(before);
  });

});

describe('callers', () => {
  const signIn = (over: object) => t.vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk', ...over });

  it.each([
    ['a wrong passphrase', { passphrase: 'wrong horse battery staple' }],
    ['an empty passphrase', { passphrase: '' }],
    ['the passphrase in other case', { passphrase: ADMIN_PASSPHRASE.toUpperCase() }],
    ['an unknown user', { userName: 'mallory' }],
    ['an unknown tenant id', { tenant: '999999999999' }],
    ['an unknown tenant name', { tenant: 'no-such-tenant' }],
  ])('sign-in with %s is AccessDeniedException and writes nothing but its audit record and failure count', async (_why, over) => {
    const before = await snapshots.take();
    await refused(signIn(over), 'AccessDeniedException');
    expect(await snapshots.take()).toBe(before);
  });

  it('sign-in with the right passphrase works, by default tenant, account id and tenant name', async () => {
    const c = await signIn({});
    expect(c.account).toBe(t.admin.account);
    expect((await signIn({ tenant: t.admin.account })).account).toBe(t.admin.account);
    expect((await signIn({ tenant: 'operator' })).account).toBe(t.admin.account);
  });

  it('a bad region at sign-in is ValidationException', async () => {
    await refused(signIn({ region: 'Not A Region' }), 'ValidationException');
  });

  it('an object that is not a signed-in caller is AccessDeniedException, and nothing is written', async () => {
    const otherProcess = await t.reopen();
    const foreign = await otherProcess.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
    const forged: unknown[] = [
      { ...t.admin },
      Object.freeze({ ...t.admin }),
      JSON.parse(JSON.stringify(t.admin)),
      Object.create(t.admin),
      foreign,
      null,
      undefined,
      'admin',
      t.admin.arn,
    ];
    const before = await snapshots.take();
    for (const caller of forged) {
      for (const [op, input] of [
        ['CreateKey', {}],
        ['ListKeys', {}],
        ['GenerateRandom', { NumberOfBytes: 8 }],
      ] as const) {
        await refused(t.vault.service.call(caller as Caller, op, input), 'AccessDeniedException');
      }
    }
    expect(await snapshots.take()).toBe(before);
    // the real caller still works
    expect((await t.call('GenerateRandom', { NumberOfBytes: 8 })).Plaintext).toHaveLength(8);
  });
});

function flip(b: Buffer, byte: number): Buffer {
  const out = Buffer.from(b);
  out[byte]! ^= 1;
  return out;
}
