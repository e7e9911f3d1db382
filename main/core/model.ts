// The records the core works with. The store persists them; the core never
// sees how. Times are epoch milliseconds.
import type { GrantOperation, KeySpec, KeyState, KeyUsage, Origin, RotationType } from '../api/enums.js';
import type { PassphraseHash } from './crypto/argon2.js';


export interface TenantRecord {
  account: string;
  name: string;
  createdAt: number;
  /** the tenant key sealed under the vault master key */
  wrappedKey: Buffer;
  state: 'Enabled' | 'Disabled';
  /** the tenant's quorum rules (core/approvals/); absent when it has none. The tenant's row MAC covers them. */
  approvals?: ApprovalSettings;
}

/** One rule: these IAM actions need `minApprovals` approvals from members of `groupName`. */
export interface ApprovalRule {
  actions: string[];
  groupName: string;
  minApprovals: number;
}

export interface ApprovalSettings {
  rules: ApprovalRule[];
  /** how long a request waits for its approvals */
  requestExpiryHours: number;
}

/** What a request needs from one group. */
export interface ApprovalRequirement {
  groupName: string;
  minApprovals: number;
}

/**
 * A call held for approval (core/approvals/request.ts): the exact validated
 * input, who asked, what it needs, and `hash`, the SHA-256 an approval
 * names. Never changed but for its status.
 */
export interface ApprovalRequestRecord {
  account: string;
  requestId: string;
  region: string;
  /** the requester's user name and unique id: only that very user may execute it */
  requester: string;
  requesterId: string;
  operation: string;
  action: string;
  /** the validated input, encoded (core/approvals/input-codec.ts) as canonical JSON */
  input: string;
  requirements: ApprovalRequirement[];
  createdAt: number;
  expiresAt: number;
  /** hex SHA-256 over all of the above (core/approvals/request.ts requestHash) */
  hash: string;
  status: 'Pending' | 'Rejected' | 'Executed';
  /** when it was rejected or executed */
  closedAt: number | null;
}

/** One approver's decision on a request, naming the hash it decided on. */
export interface ApprovalDecisionRecord {
  account: string;
  requestId: string;
  userName: string;
  userId: string;
  decision: 'Approve' | 'Reject';
  requestHash: string;
  decidedAt: number;
}

export interface UserRecord {
  account: string;
  userName: string;
  /** stable and unique (IAM's UserId): a user deleted and created again under the same name gets a new one */
  userId: string;
  /** null: no login profile, so the user cannot sign in */
  passphrase: PassphraseHash | null;
  /**
   * When the login profile was created (IAM's LoginProfile CreateDate):
   * set with the passphrase by CreateLoginProfile or the tenant's creation,
   * kept by ChangePassword and UpdateLoginProfile, null without a profile.
   */
  loginProfileCreatedAt: number | null;
  passwordResetRequired: boolean;
  disabled: boolean;
  createdAt: number;
}

export interface KeyRecord {
  account: string;
  region: string;
  keyId: string;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  origin: Origin;
  state: KeyState;
  createdAt: number;
  deletionDate: number | null;
  pendingWindowDays: number | null;
  rotationPeriodDays: number | null; // null: automatic rotation disabled
  nextRotationAt: number | null;
  currentVersion: number;
  /** the key policy document, JSON, as it was given */
  policy: string;
  /**
   * The user ARNs of this account the policy names as principals, each bound
   * to the id its user had when the policy was saved (core/policy/principal-binding.ts).
   */
  policyPrincipals: Readonly<Record<string, string>>;
  /** imported material (origin EXTERNAL): when it expires, epoch ms */
  validTo: number | null;
  expirationModel: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE' | null;
}

export interface MaterialRecord {
  account: string;
  keyId: string;
  version: number;
  /** the material sealed under the tenant key; see core/kms/key-material.ts for the binding */
  wrapped: Buffer;
  createdAt: number;
  /** how this version came to be; null for the key's first material */
  rotationType: RotationType | null;
  /** the KeyMaterialId: 64 hex characters, stable for this material (core/kms/material-id.ts) */
  materialId: string;
}

export interface AliasRecord {
  account: string;
  region: string;
  aliasName: string;
  keyId: string;
  createdAt: number;
  updatedAt: number;
}

export interface Tag {
  TagKey: string;
  TagValue: string;
}

export interface GroupRecord {
  account: string;
  groupName: string;
  createdAt: number;
}

export type PrincipalType = 'user' | 'group';

export interface IdentityPolicyRecord {
  account: string;
  principalType: PrincipalType;
  principalName: string;
  kind: 'inline' | 'attached';
  /** inline: the policy name; attached: the managed policy ARN */
  policyName: string;
  /** inline only: the policy document JSON */
  document: string | null;
}

interface GrantConstraints {
  EncryptionContextEquals?: Record<string, string>;
  EncryptionContextSubset?: Record<string, string>;
}

export interface GrantRecord {
  account: string;
  grantId: string;
  keyId: string;
  name: string | null;
  granteePrincipal: string;
  /** the grantee's user id at CreateGrant: the grant is its, not a later user of the same name (core/policy/principal-binding.ts) */
  granteeId: string | null;
  retiringPrincipal: string | null;
  /** the retiring principal's user id at CreateGrant; null when there is none */
  retiringId: string | null;
  issuingPrincipal: string;
  operations: GrantOperation[];
  constraints: GrantConstraints | null;
  token: string;
  createdAt: number;
}

/**
 * Consecutive failed sign-ins under one user name in one tenant, and until
 * when further attempts are refused unchecked (core/service/sign-in.ts).
 */
export interface SignInFailureRecord {
  /** the tenant's account id; for a tenant that does not exist, "?" and the tenant as it was named */
  tenant: string;
  /** the user name as given (whether or not such a user exists) */
  userName: string;
  failures: number;
  lastFailureAt: number;
  /** no sign-in under this name is checked before this time (epoch ms) */
  lockedUntil: number;
}

/**
 * GetParametersForImport's answer, kept until it expires (24 h): the RSA
 * wrapping key pair whose public half the caller wraps material under.
 */
export interface ImportTokenRecord {
  account: string;
  keyId: string;
  /** random id the ImportToken carries */
  tokenId: string;
  wrappingAlgorithm: 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256';
  wrappingKeySpec: 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
  /** the wrapping private key (PKCS#8) sealed under the tenant key; see core/kms/import/tokens.ts for the binding */
  wrappedPrivateKey: Buffer;
  createdAt: number;
  expiresAt: number;
}

/** IAM-style user ids: "AIDA" and 16 characters of base32 (IAM User Guide, "Unique identifiers"). */
export function newUserId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return 'AIDA' + Array.from(bytes, (b) => alphabet[b & 31]).join('');
}
