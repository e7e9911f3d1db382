// The rows of the vault's tables as SQLite returns them, and the records the
// core works with (core/model.ts) made from them: one mapper per table, so
// every read of a table turns its columns into a record the same way.
import type { GrantOperation } from '../api/enums.js';
import type { PassphraseHash } from '../core/crypto/argon2.js';
import type {
  AliasRecord,
  ApprovalDecisionRecord,
  ApprovalRequestRecord,
  ApprovalSettings,
  GrantRecord,
  GroupRecord,
  IdentityPolicyRecord,
  ImportTokenRecord,
  KeyRecord,
  MaterialRecord,
  SignInFailureRecord,
  TenantRecord,
  UserRecord,
} from '../core/model.js';
import { KmsError } from '../core/errors.js';
import type { SqlValue } from './sqlite.js';

export type KeyRow = {
  account: string;
  key_id: string;
  region: string;
  description: string;
  key_spec: string;
  key_usage: string;
  origin: string;
  state: string;
  created_at: number;
  deletion_date: number | null;
  pending_window_days: number | null;
  rotation_period_days: number | null;
  next_rotation_at: number | null;
  current_version: number;
  policy: string;
  valid_to: number | null;
  expiration_model: string | null;
  policy_principals: string;
  mac: Buffer | null;
};

export const toKey = (r: KeyRow): KeyRecord =>
  Object.freeze({
    account: r.account,
    keyId: r.key_id,
    region: r.region,
    description: r.description,
    keySpec: r.key_spec as KeyRecord['keySpec'],
    keyUsage: r.key_usage as KeyRecord['keyUsage'],
    origin: r.origin as KeyRecord['origin'],
    state: r.state as KeyRecord['state'],
    createdAt: r.created_at,
    deletionDate: r.deletion_date,
    pendingWindowDays: r.pending_window_days,
    rotationPeriodDays: r.rotation_period_days,
    nextRotationAt: r.next_rotation_at,
    currentVersion: r.current_version,
    policy: r.policy,
    validTo: r.valid_to,
    expirationModel: r.expiration_model as KeyRecord['expirationModel'],
    policyPrincipals: Object.freeze(JSON.parse(r.policy_principals) as Record<string, string>),
  });

export type MaterialRow = { account: string; key_id: string; version: number; wrapped: Buffer; created_at: number; rotation_type: string | null; material_id: string | null };
export function toMaterial(r: MaterialRow): MaterialRecord {
  // migration 0010 gave every row an id and every insert names one: a row without one was edited outside Strongroom
  if (r.material_id === null) throw new KmsError('KMSInternalException', `The stored material of key ${r.key_id} version ${r.version} has no key material id; the vault may have been tampered with.`);
  return Object.freeze({
    account: r.account,
    keyId: r.key_id,
    version: r.version,
    wrapped: r.wrapped,
    createdAt: r.created_at,
    rotationType: r.rotation_type as MaterialRecord['rotationType'],
    materialId: r.material_id,
  });
}

export type ImportTokenRow = {
  account: string;
  key_id: string;
  token_id: string;
  wrapping_algorithm: string;
  wrapping_key_spec: string;
  wrapped_private_key: Buffer;
  created_at: number;
  expires_at: number;
};
export const toImportToken = (r: ImportTokenRow): ImportTokenRecord =>
  Object.freeze({
    account: r.account,
    keyId: r.key_id,
    tokenId: r.token_id,
    wrappingAlgorithm: r.wrapping_algorithm as ImportTokenRecord['wrappingAlgorithm'],
    wrappingKeySpec: r.wrapping_key_spec as ImportTokenRecord['wrappingKeySpec'],
    wrappedPrivateKey: r.wrapped_private_key,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  });

export type AliasRow = { account: string; region: string; alias_name: string; key_id: string; created_at: number; updated_at: number; mac: Buffer | null };
export const toAlias = (r: AliasRow): AliasRecord =>
  Object.freeze({ account: r.account, region: r.region, aliasName: r.alias_name, keyId: r.key_id, createdAt: r.created_at, updatedAt: r.updated_at });

/** approval_rules is absent from a tenants table older than migration 0008 (0007 seals tenants before it runs). */
export type TenantRow = { account: string; name: string; created_at: number; wrapped_key: Buffer; state: string; approval_rules?: string | null; mac: Buffer | null };
export const toTenant = (r: TenantRow): TenantRecord =>
  Object.freeze({
    account: r.account,
    name: r.name,
    createdAt: r.created_at,
    wrappedKey: r.wrapped_key,
    state: r.state as TenantRecord['state'],
    // only when there are rules: a tenant without them is sealed as it was before rules existed
    ...(r.approval_rules ? { approvals: JSON.parse(r.approval_rules) as ApprovalSettings } : {}),
  });

export type UserRow = {
  account: string;
  user_name: string;
  user_id: string;
  passphrase: string | null;
  /** added by migration 0008: absent from a row read before it (0007 seals users as they were then) */
  login_profile_created_at?: number | null;
  password_reset_required: number;
  disabled: number;
  created_at: number;
  mac: Buffer | null;
};
export const toUser = (r: UserRow): UserRecord =>
  Object.freeze({
    account: r.account,
    userName: r.user_name,
    userId: r.user_id,
    passphrase: r.passphrase === null ? null : (JSON.parse(r.passphrase) as PassphraseHash),
    loginProfileCreatedAt: r.login_profile_created_at ?? null,
    passwordResetRequired: r.password_reset_required === 1,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
  });

export type GroupRow = { account: string; group_name: string; created_at: number; mac: Buffer | null };
export const toGroup = (r: GroupRow): GroupRecord => Object.freeze({ account: r.account, groupName: r.group_name, createdAt: r.created_at });

export type PolicyRow = { account: string; principal_type: string; principal_name: string; kind: string; policy_name: string; document: string | null };
export const toPolicy = (r: PolicyRow): IdentityPolicyRecord =>
  Object.freeze({
    account: r.account,
    principalType: r.principal_type as IdentityPolicyRecord['principalType'],
    principalName: r.principal_name,
    kind: r.kind as IdentityPolicyRecord['kind'],
    policyName: r.policy_name,
    document: r.document,
  });

export type GrantRow = {
  account: string;
  grant_id: string;
  key_id: string;
  name: string | null;
  grantee_principal: string;
  grantee_id: string | null;
  retiring_principal: string | null;
  retiring_id: string | null;
  issuing_principal: string;
  operations: string;
  constraints: string | null;
  token: string;
  created_at: number;
  mac: Buffer | null;
};
export const toGrant = (r: GrantRow): GrantRecord =>
  Object.freeze({
    account: r.account,
    grantId: r.grant_id,
    keyId: r.key_id,
    name: r.name,
    granteePrincipal: r.grantee_principal,
    granteeId: r.grantee_id,
    retiringPrincipal: r.retiring_principal,
    retiringId: r.retiring_id,
    issuingPrincipal: r.issuing_principal,
    operations: JSON.parse(r.operations) as GrantOperation[],
    constraints: r.constraints === null ? null : (JSON.parse(r.constraints) as GrantRecord['constraints']),
    token: r.token,
    createdAt: r.created_at,
  });

export type ApprovalRequestRow = {
  account: string;
  request_id: string;
  region: string;
  requester: string;
  requester_id: string;
  operation: string;
  action: string;
  input: string;
  requirements: string;
  created_at: number;
  expires_at: number;
  request_hash: string;
  status: string;
  closed_at: number | null;
  mac: Buffer;
};
export const toApprovalRequest = (r: ApprovalRequestRow): ApprovalRequestRecord =>
  Object.freeze({
    account: r.account,
    requestId: r.request_id,
    region: r.region,
    requester: r.requester,
    requesterId: r.requester_id,
    operation: r.operation,
    action: r.action,
    input: r.input,
    requirements: JSON.parse(r.requirements) as ApprovalRequestRecord['requirements'],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    hash: r.request_hash,
    status: r.status as ApprovalRequestRecord['status'],
    closedAt: r.closed_at,
  });

export type ApprovalDecisionRow = {
  account: string;
  request_id: string;
  user_name: string;
  user_id: string;
  decision: string;
  request_hash: string;
  decided_at: number;
  mac: Buffer;
};
export const toApprovalDecision = (r: ApprovalDecisionRow): ApprovalDecisionRecord =>
  Object.freeze({
    account: r.account,
    requestId: r.request_id,
    userName: r.user_name,
    userId: r.user_id,
    decision: r.decision as ApprovalDecisionRecord['decision'],
    requestHash: r.request_hash,
    decidedAt: r.decided_at,
  });

export type SignInFailureRow = { tenant: string; user_name: string; failures: number; last_failure_at: number; locked_until: number };
export const toSignInFailure = (r: SignInFailureRow): SignInFailureRecord =>
  Object.freeze({ tenant: r.tenant, userName: r.user_name, failures: r.failures, lastFailureAt: r.last_failure_at, lockedUntil: r.locked_until });

export const KEY_COLS =
  'account, key_id, region, description, key_spec, key_usage, origin, state, created_at, deletion_date, pending_window_days, rotation_period_days, next_rotation_at, current_version, policy, valid_to, expiration_model, policy_principals, mac';

export const keyValues = (k: KeyRecord): SqlValue[] => [
  k.account,
  k.keyId,
  k.region,
  k.description,
  k.keySpec,
  k.keyUsage,
  k.origin,
  k.state,
  k.createdAt,
  k.deletionDate,
  k.pendingWindowDays,
  k.rotationPeriodDays,
  k.nextRotationAt,
  k.currentVersion,
  k.policy,
  k.validTo,
  k.expirationModel,
  JSON.stringify(k.policyPrincipals),
];
