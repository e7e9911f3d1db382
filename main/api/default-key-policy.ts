// The key policy CreateKey writes when the caller gives none, shaped like
// the AWS KMS console's default (KMS Developer Guide "Default key policy").
// The one builder of it: the core writes it (core/policy/key-policies.ts,
// which also validates it), and the desktop app's create-key wizard shows
// the exact text before the key is created. Node-free: part of the contract.
import { rootArn } from './arns.js';
import type { KeyUsage } from './enums.js';

/** "Allows key administrators to administer the KMS key": management, never cryptographic use. */
export const KEY_ADMINISTRATOR_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
] as const;

/** "Allows key users to use a KMS key for cryptographic operations", by key usage (and, for encryption, symmetric vs asymmetric); undefined for an unknown usage. */
export function keyUserActionsOf(keyUsage: KeyUsage, keySpec?: string): string[] | undefined {
  switch (keyUsage) {
    case 'ENCRYPT_DECRYPT':
      // Asymmetric encryption keys have no data keys but a public key.
      return keySpec === undefined || keySpec === 'SYMMETRIC_DEFAULT'
        ? ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']
        : ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:GetPublicKey'];
    case 'SIGN_VERIFY':
      return ['kms:Sign', 'kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey'];
    case 'GENERATE_VERIFY_MAC':
      return ['kms:GenerateMac', 'kms:VerifyMac', 'kms:DescribeKey'];
    case 'KEY_AGREEMENT':
      return ['kms:DeriveSharedSecret', 'kms:GetPublicKey', 'kms:DescribeKey'];
    default:
      return undefined;
  }
}

export interface DefaultKeyPolicyOptions {
  /** ARNs of the users who administer the key */
  keyAdministrators: readonly string[];
  /** ARNs of the users who use the key */
  keyUsers: readonly string[];
  keyUsage: KeyUsage;
  /** distinguishes asymmetric ENCRYPT_DECRYPT keys; SYMMETRIC_DEFAULT when omitted */
  keySpec?: string;
}

/** One principal as a string, several as an array, as the console writes them. */
const principal = (arns: readonly string[]) => ({ AWS: arns.length === 1 ? arns[0]! : [...arns] });

/**
 * The console's default key policy as JSON text, exactly as CreateKey stores
 * it. The root statement is always there (it keeps the key manageable and
 * lets IAM policies grant access); the administrator and user statements
 * only when someone is named. Not validated here: the core parses it.
 */
export function defaultKeyPolicyJson(account: string, options: DefaultKeyPolicyOptions): string {
  const admins = [...new Set(options.keyAdministrators)];
  const users = [...new Set(options.keyUsers)];
  const statements: unknown[] = [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: rootArn(account) }, Action: 'kms:*', Resource: '*' }];
  if (admins.length > 0) {
    statements.push({ Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: principal(admins), Action: [...KEY_ADMINISTRATOR_ACTIONS], Resource: '*' });
  }
  if (users.length > 0) {
    statements.push({ Sid: 'Allow use of the key', Effect: 'Allow', Principal: principal(users), Action: keyUserActionsOf(options.keyUsage, options.keySpec) ?? [], Resource: '*' });
    // Grants for integrated services only: kms:GrantIsForAWSResource is true
    // only when an AWS service calls on the user's behalf, never for a direct call.
    statements.push({
      Sid: 'Allow attachment of persistent resources',
      Effect: 'Allow',
      Principal: principal(users),
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Id: 'key-consolepolicy-3', Statement: statements }, null, 2);
}
