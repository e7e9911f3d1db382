// A valid input for every operation, for each cell of the permission
// matrix: acme's admin creates whatever the call needs (a new key for
// DisableKey, a new user for DeleteUser, …) so an allowed cell really
// succeeds and a destructive cell never spoils another. Cells expected to
// be refused share one such resource per scenario and operation (a refused
// call leaves it as it was; one wrongly allowed fails its own cell anyway),
// which keeps the matrix fast. Resources are acme's and named by ARN, so a
// caller of another tenant passes acme's key ARN; names (users, groups) are
// acme's, which another tenant does not have.
import { randomBytes } from 'node:crypto';
import type { InputOf } from '../../main/api/index.js';
import type { ApprovalRequiredError } from '../../main/core/errors.js';
import { wrapMaterial } from './import.js';
import type { Principal, ScenarioWorld, World } from './permission-world.js';
import { acmeUsers, BYSTANDER, GROUP, MESSAGE, QUORUM_RULE } from './permission-world.js';

export interface Cell {
  w: World;
  s: ScenarioWorld;
  p: Principal;
  op: string;
  /** whether the matrix expects this cell to succeed */
  allowed: boolean;
}
export type Input = Record<string, unknown>;
type Build = (c: Cell) => Promise<Input>;

const KEY_USER_POLICY = 'arn:strongroom:iam::aws:policy/KeyUser';
const NEW_PASSPHRASE = 'a brand new passphrase';
const tags = [{ TagKey: 'env', TagValue: 'test' }];

const shared = new WeakMap<ScenarioWorld, Map<string, Promise<unknown>>>();
/** A new resource for a cell that should succeed; for refused cells, one per scenario and operation. */
function resource<T>(c: Cell, make: () => Promise<T>): Promise<T> {
  if (c.allowed) return make();
  let byOp = shared.get(c.s);
  if (!byOp) shared.set(c.s, (byOp = new Map()));
  if (!byOp.has(c.op)) byOp.set(c.op, make());
  return byOp.get(c.op) as Promise<T>;
}

// acme resources made by its admin
const key = (c: Cell, prepare?: (KeyId: string) => Promise<unknown>) =>
  resource(c, async () => {
    const KeyId = await c.s.newKey();
    await prepare?.(KeyId);
    return KeyId;
  });
const alias = (c: Cell) =>
  resource(c, async () => {
    const AliasName = `alias/${c.w.fresh('matrix')}`;
    await c.w.call('CreateAlias', { AliasName, TargetKeyId: c.s.keys.sym });
    return AliasName;
  });
const user = (c: Cell, opts: { login?: boolean; policy?: boolean; inline?: boolean; group?: boolean; disabled?: boolean } = {}) =>
  resource(c, async () => {
    const UserName = c.w.fresh('user');
    await c.w.call('CreateUser', { UserName });
    if (opts.login) await c.w.call('CreateLoginProfile', { UserName, Password: NEW_PASSPHRASE });
    if (opts.policy) await c.w.call('AttachUserPolicy', { UserName, PolicyArn: KEY_USER_POLICY });
    if (opts.inline) await c.w.call('PutUserPolicy', { UserName, PolicyName: 'describe', PolicyDocument: inlinePolicy });
    if (opts.group) await c.w.call('AddUserToGroup', { UserName, GroupName: GROUP });
    if (opts.disabled) await c.w.call('DisableUser', { UserName });
    return UserName;
  });
const group = (c: Cell, opts: { policy?: boolean; inline?: boolean } = {}) =>
  resource(c, async () => {
    const GroupName = c.w.fresh('group');
    await c.w.call('CreateGroup', { GroupName });
    if (opts.policy) await c.w.call('AttachGroupPolicy', { GroupName, PolicyArn: KEY_USER_POLICY });
    if (opts.inline) await c.w.call('PutGroupPolicy', { GroupName, PolicyName: 'describe', PolicyDocument: inlinePolicy });
    return GroupName;
  });
/** a grant for the bystander that acme's key user may retire */
const grant = (c: Cell) =>
  resource(c, async (): Promise<Input> => {
    const { GrantId } = await c.w.call('CreateGrant', { KeyId: c.s.keys.sym, GranteePrincipal: BYSTANDER, RetiringPrincipal: acmeUsers.keyUser, Operations: ['Encrypt'] });
    return { KeyId: c.s.keys.sym, GrantId };
  });
/**
 * ImportKeyMaterial's input for the scenario's importable key: one
 * GetParametersForImport (an RSA key generation, ~¼ s) per scenario, its
 * token and wrapped material reused — importing the same material again is
 * allowed, so every allowed cell succeeds. (The matrix runs these cells
 * one principal at a time.)
 */
async function importInput(c: Cell): Promise<InputOf<'ImportKeyMaterial'>> {
  const s = c.s as ScenarioWorld & { importInput?: Promise<InputOf<'ImportKeyMaterial'>> };
  s.importInput ??= (async () => {
    const KeyId = await s.newKey('external');
    const params = await c.w.call('GetParametersForImport', { KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    return {
      KeyId,
      ImportToken: params.ImportToken,
      EncryptedKeyMaterial: wrapMaterial(params.PublicKey, 'RSAES_OAEP_SHA_256', randomBytes(32)),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    };
  })();
  return s.importInput;
}
/**
 * An approval request acme's admin made (PutApprovalRules, which acme's
 * rule holds for an approver's approval), with its hash; `approved`: an
 * approver (keyAdmin) has approved it, so its requester may execute it.
 */
const request = (c: Cell, approved = false) =>
  resource(c, async () => {
    const held = await c.w.call('PutApprovalRules', { Rules: [QUORUM_RULE] }).then(
      () => {
        throw new Error('acme\'s rule should have held PutApprovalRules');
      },
      (e: ApprovalRequiredError) => e,
    );
    const RequestId = held.approvalRequestId;
    const RequestHash = (await c.w.call('GetApprovalRequest', { RequestId })).Request.RequestHash;
    if (approved) await c.w.t.vault.service.call(c.w.principals.keyAdmin.caller, 'ApproveRequest', { RequestId, RequestHash });
    return { RequestId, RequestHash };
  });
const inlinePolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' }] });

export const INPUTS: Record<string, Build> = {
  // keys
  CreateKey: async () => ({ Description: 'made in a matrix cell' }),
  DescribeKey: async ({ s }) => ({ KeyId: s.keys.sym }),
  ListKeys: async () => ({}),
  UpdateKeyDescription: async ({ s }) => ({ KeyId: s.keys.sym, Description: 'updated in a matrix cell' }),
  EnableKey: async (c) => ({ KeyId: await key(c, (KeyId) => c.w.call('DisableKey', { KeyId })) }),
  DisableKey: async (c) => ({ KeyId: await key(c) }),
  ScheduleKeyDeletion: async (c) => ({ KeyId: await key(c), PendingWindowInDays: 7 }),
  CancelKeyDeletion: async (c) => ({ KeyId: await key(c, (KeyId) => c.w.call('ScheduleKeyDeletion', { KeyId })) }),
  // aliases and tags
  CreateAlias: async (c) => ({ AliasName: `alias/${c.w.fresh('new')}`, TargetKeyId: c.s.keys.sym }),
  UpdateAlias: async (c) => ({ AliasName: await alias(c), TargetKeyId: c.s.sym2 }),
  DeleteAlias: async (c) => ({ AliasName: await alias(c) }),
  ListAliases: async ({ s }) => ({ KeyId: s.keys.sym }),
  TagResource: async ({ s }) => ({ KeyId: s.keys.sym, Tags: tags }),
  UntagResource: async ({ s }) => ({ KeyId: s.keys.sym, TagKeys: ['env'] }),
  ListResourceTags: async ({ s }) => ({ KeyId: s.keys.sym }),
  // symmetric cryptography
  Encrypt: async ({ s }) => ({ KeyId: s.keys.sym, Plaintext: Buffer.from('hello'), EncryptionContext: s.ec }),
  Decrypt: async ({ s }) => ({ CiphertextBlob: s.ciphertext, EncryptionContext: s.ec, KeyId: s.keys.sym }),
  ReEncrypt: async ({ s }) => ({
    CiphertextBlob: s.ciphertext,
    SourceEncryptionContext: s.ec,
    SourceKeyId: s.keys.sym,
    DestinationKeyId: s.keys.sym,
    DestinationEncryptionContext: s.ec,
  }),
  GenerateDataKey: async ({ s }) => ({ KeyId: s.keys.sym, KeySpec: 'AES_256', EncryptionContext: s.ec }),
  GenerateDataKeyWithoutPlaintext: async ({ s }) => ({ KeyId: s.keys.sym, KeySpec: 'AES_256', EncryptionContext: s.ec }),
  GenerateDataKeyPair: async ({ s }) => ({ KeyId: s.keys.sym, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: s.ec }),
  GenerateDataKeyPairWithoutPlaintext: async ({ s }) => ({ KeyId: s.keys.sym, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: s.ec }),
  GenerateRandom: async () => ({ NumberOfBytes: 16 }),
  // rotation
  EnableKeyRotation: async ({ s }) => ({ KeyId: s.keys.sym, RotationPeriodInDays: 90 }),
  DisableKeyRotation: async ({ s }) => ({ KeyId: s.keys.sym }),
  GetKeyRotationStatus: async ({ s }) => ({ KeyId: s.keys.sym }),
  RotateKeyOnDemand: async (c) => ({ KeyId: await key(c) }),
  ListKeyRotations: async ({ s }) => ({ KeyId: s.keys.sym }),
  GetKeyLastUsage: async ({ s }) => ({ KeyId: s.keys.sym }),
  // key policies
  GetKeyPolicy: async ({ s }) => ({ KeyId: s.keys.sym }),
  PutKeyPolicy: async (c) => ({ KeyId: await key(c), Policy: await c.s.policy('sym') }),
  ListKeyPolicies: async ({ s }) => ({ KeyId: s.keys.sym }),
  GetKeyAccessMatrix: async ({ s }) => ({ KeyId: s.keys.sym }),
  // grants
  CreateGrant: async ({ s, w }) => ({ KeyId: s.keys.sym, GranteePrincipal: w.userArn(BYSTANDER), Operations: ['Encrypt', 'Decrypt'] }),
  ListGrants: async ({ s }) => ({ KeyId: s.keys.sym }),
  ListRetirableGrants: async ({ w }) => ({ RetiringPrincipal: w.userArn(acmeUsers.keyUser) }),
  RetireGrant: grant,
  RevokeGrant: grant,
  // asymmetric and HMAC keys
  Sign: async ({ s }) => ({ KeyId: s.keys.sign, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' }),
  Verify: async ({ s }) => ({ KeyId: s.keys.sign, Message: MESSAGE, Signature: s.signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
  GetPublicKey: async ({ s }) => ({ KeyId: s.keys.sign }),
  ExportPublicKey: async ({ s }) => ({ KeyId: s.keys.sign, Format: 'pem' }),
  GenerateMac: async ({ s }) => ({ KeyId: s.keys.mac, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' }),
  VerifyMac: async ({ s }) => ({ KeyId: s.keys.mac, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256', Mac: s.mac }),
  DeriveSharedSecret: async ({ s }) => ({ KeyId: s.keys.agree, KeyAgreementAlgorithm: 'ECDH', PublicKey: s.peerPublicKey }),
  // imported key material
  GetParametersForImport: async ({ s }) => ({ KeyId: s.keys.external, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
  ImportKeyMaterial: importInput,
  DeleteImportedKeyMaterial: async (c) => {
    const input = await importInput(c);
    await c.w.call('ImportKeyMaterial', input); // (again) so there is material to delete
    return { KeyId: input['KeyId'] };
  },
  // IAM
  CreateUser: async ({ w }) => ({ UserName: w.fresh('new-user') }),
  GetUser: async () => ({ UserName: BYSTANDER }),
  ListUsers: async () => ({}),
  DeleteUser: async (c) => ({ UserName: await user(c, { login: true, policy: true, group: true }) }),
  CreateLoginProfile: async (c) => ({ UserName: await user(c), Password: NEW_PASSPHRASE, PasswordResetRequired: true }),
  GetLoginProfile: async (c) => ({ UserName: await user(c, { login: true }) }),
  UpdateLoginProfile: async (c) => ({ UserName: await user(c, { login: true }), Password: NEW_PASSPHRASE, PasswordResetRequired: true }),
  DeleteLoginProfile: async (c) => ({ UserName: await user(c, { login: true }) }),
  ChangePassword: async ({ p }) => ({ OldPassword: p.passphrase, NewPassword: `${p.passphrase}+` }),
  DisableUser: async (c) => ({ UserName: await user(c, { login: true }) }),
  EnableUser: async (c) => ({ UserName: await user(c, { login: true, disabled: true }) }),
  CreateGroup: async ({ w }) => ({ GroupName: w.fresh('new-group') }),
  ListGroups: async () => ({}),
  GetGroup: async () => ({ GroupName: GROUP }),
  ListGroupsForUser: async () => ({ UserName: BYSTANDER }),
  AddUserToGroup: async (c) => ({ GroupName: GROUP, UserName: await user(c) }),
  RemoveUserFromGroup: async (c) => ({ GroupName: GROUP, UserName: await user(c, { group: true }) }),
  AttachUserPolicy: async (c) => ({ UserName: await user(c), PolicyArn: KEY_USER_POLICY }),
  AttachGroupPolicy: async (c) => ({ GroupName: await group(c), PolicyArn: KEY_USER_POLICY }),
  DetachUserPolicy: async (c) => ({ UserName: await user(c, { policy: true }), PolicyArn: KEY_USER_POLICY }),
  DetachGroupPolicy: async (c) => ({ GroupName: await group(c, { policy: true }), PolicyArn: KEY_USER_POLICY }),
  PutUserPolicy: async (c) => ({ UserName: await user(c), PolicyName: 'describe', PolicyDocument: inlinePolicy }),
  PutGroupPolicy: async (c) => ({ GroupName: await group(c), PolicyName: 'describe', PolicyDocument: inlinePolicy }),
  DeleteUserPolicy: async (c) => ({ UserName: await user(c, { inline: true }), PolicyName: 'describe' }),
  DeleteGroupPolicy: async (c) => ({ GroupName: await group(c, { inline: true }), PolicyName: 'describe' }),
  ListPolicies: async () => ({}),
  ListPrincipalPolicies: async () => ({ UserName: BYSTANDER }),
  // audit trail: GetCallerIdentity records name nothing but their caller (see the matrix's 'own')
  LookupEvents: async () => ({ EventName: 'GetCallerIdentity', MaxResults: 20 }),
  ExportEvents: async () => ({}),
  VerifyEvents: async () => ({}),
  GetAuditPublicKey: async () => ({}),
  // STS and tenants
  GetCallerIdentity: async () => ({}),
  CreateTenant: async ({ w }) => ({ TenantName: w.fresh('tenant'), AdminPassword: NEW_PASSPHRASE }),
  ListTenants: async () => ({}),
  DisableTenant: async ({ w }) => ({ AccountId: w.spareAccount }),
  EnableTenant: async ({ w }) => ({ AccountId: w.spareAccount }),
  // approvals: acme's one rule holds PutApprovalRules until an approver (keyAdmin, keyUser) approves
  PutApprovalRules: async () => ({ Rules: [QUORUM_RULE] }),
  GetApprovalRules: async () => ({}),
  ListApprovalRequests: async () => ({}),
  GetApprovalRequest: async (c) => ({ RequestId: (await request(c)).RequestId }),
  ApproveRequest: (c) => request(c),
  RejectRequest: async (c) => ({ RequestId: (await request(c)).RequestId }),
  ExecuteApprovalRequest: async (c) => ({ RequestId: (await request(c, true)).RequestId }),
};

/** Cells that share one resource across principals: run one principal at a time. */
export const SERIAL = new Set(['ImportKeyMaterial', 'DeleteImportedKeyMaterial']);

/** What a successful cell changes in the world. */
export const AFTER_SUCCESS: Record<string, (c: Cell, input: Input) => void> = {
  ChangePassword: (c, input) => {
    c.p.passphrase = input['NewPassword'] as string;
  },
};
