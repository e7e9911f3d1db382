// Strongroom's managed identity policies (issue 3, Identity), the
// counterpart of AWS managed policies: fixed documents under
// arn:strongroom:iam::aws:policy/<Name> that users and groups attach.
// Identity policies only reach a key whose key policy delegates to the
// account (the default key policy's root statement does).
import { PARTITION } from '../codecs/arn.js';
import { parseIdentityPolicy, type PolicyDocument } from './document.js';
import { KEY_ADMINISTRATOR_ACTIONS } from './key-policies.js';

export interface ManagedPolicy {
  readonly name: string;
  readonly arn: string;
  readonly description: string;
  readonly document: PolicyDocument;
}

const managed = (name: string, description: string, statements: unknown[]): ManagedPolicy =>
  Object.freeze({
    name,
    arn: `arn:${PARTITION}:iam::aws:policy/${name}`,
    description,
    document: parseIdentityPolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements })),
  });

/**
 * KeyUser: the cryptographic operations of every key usage, plus reading a
 * key's description and public key and listing keys and aliases — the
 * console needs ListKeys/ListAliases to show anything.
 *
 * No grant actions (CreateGrant, ListGrants, RevokeGrant). The AWS default
 * key policy gives key users grant rights only with
 * kms:GrantIsForAWSResource = true, i.e. for integrated AWS services acting
 * on their behalf; Strongroom has no such services, and an unconditional
 * CreateGrant would let a key user hand their use of a key to anyone in the
 * tenant — delegation belongs to key administrators (kms:Create* covers
 * CreateGrant for them, as in AWS). Retiring a grant needs no policy: the
 * grant names its retiring principal.
 */
const KEY_USER_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*', // also GenerateDataKeyPair*, as in the console's key users statement
  'kms:Sign',
  'kms:Verify',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:DeriveSharedSecret',
  'kms:GetPublicKey',
  'kms:DescribeKey',
  'kms:ListKeys',
  'kms:ListAliases',
];

export const MANAGED_POLICIES = {
  StrongroomAdministrator: managed('StrongroomAdministrator', 'Everything in the tenant, IAM included.', [
    { Sid: 'FullAccess', Effect: 'Allow', Action: '*', Resource: '*' },
  ]),
  // KMS guide: the key administrator actions, plus CreateKey (covered by
  // kms:Create*; "valid only in an IAM policy") and ListKeys/ListAliases
  // (covered by kms:List*). No Encrypt/Decrypt/Sign/GenerateDataKey/….
  KeyAdministrator: managed('KeyAdministrator', 'Key lifecycle and policy management; no cryptographic use.', [
    { Sid: 'KeyAdministration', Effect: 'Allow', Action: [...KEY_ADMINISTRATOR_ACTIONS, 'kms:CreateKey', 'kms:List*', 'kms:Describe*'], Resource: '*' },
  ]),
  KeyUser: managed('KeyUser', 'Cryptographic use of keys, DescribeKey and GetPublicKey.', [{ Sid: 'KeyUse', Effect: 'Allow', Action: KEY_USER_ACTIONS, Resource: '*' }]),
  // and see the approval rules and every approval request (deciding one takes membership of its group, not a policy)
  AuditReader: managed('AuditReader', 'Read and verify the audit trail; see which keys exist, the approval rules and requests.', [
    {
      Sid: 'AuditRead',
      Effect: 'Allow',
      Action: [
        'audit:LookupEvents',
        'audit:ExportEvents',
        'audit:VerifyEvents',
        'kms:ListKeys',
        'kms:ListAliases',
        'kms:DescribeKey',
        'approval:GetApprovalRules',
        'approval:ListApprovalRequests',
        'approval:GetApprovalRequest',
      ],
      Resource: '*',
    },
  ]),
} as const satisfies Record<string, ManagedPolicy>;

export type ManagedPolicyName = keyof typeof MANAGED_POLICIES;

/** The managed policy with this ARN, if any. */
const BY_ARN: ReadonlyMap<string, ManagedPolicy> = new Map(Object.values(MANAGED_POLICIES).map((p) => [p.arn, p]));
export const managedPolicyByArn = (arn: string): ManagedPolicy | undefined => BY_ARN.get(arn);
