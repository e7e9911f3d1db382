// The key policy CreateKey writes when the caller gives none, shaped like
// the AWS KMS console's default (KMS Developer Guide "Default key policy"),
// and PutKeyPolicy's lockout safety check.
import { rootArn } from '../codecs/arn.js';
import { validation } from '../errors.js';
import { parseKeyPolicy, type PolicyDocument } from './document.js';
import { evaluate, type IdentityPolicy } from './evaluate.js';

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

/** "Allows key users to use a KMS key for cryptographic operations", by key usage (and, for encryption, symmetric vs asymmetric). */
export function keyUserActions(keyUsage: string, keySpec?: string): string[] {
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
      throw validation(`Unknown KeyUsage ${JSON.stringify(keyUsage)}: expected ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC or KEY_AGREEMENT.`);
  }
}

export interface DefaultKeyPolicyOptions {
  keyAdministrators: readonly string[];
  keyUsers: readonly string[];
  keyUsage: string;
  /** distinguishes asymmetric ENCRYPT_DECRYPT keys; SYMMETRIC_DEFAULT when omitted */
  keySpec?: string;
}

/** One principal as a string, several as an array, as the console writes them. */
const principal = (arns: readonly string[]) => ({ AWS: arns.length === 1 ? arns[0]! : [...arns] });

/**
 * The console's default key policy as JSON. The root statement is always
 * there (it keeps the key manageable and lets IAM policies grant access);
 * the administrator and user statements only when someone is named.
 * Principals are validated by parsing the result.
 */
export function defaultKeyPolicy(account: string, options: DefaultKeyPolicyOptions): string {
  const admins = [...new Set(options.keyAdministrators)];
  const users = [...new Set(options.keyUsers)];
  const userActions = keyUserActions(options.keyUsage, options.keySpec);
  const statements: unknown[] = [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: rootArn(account) }, Action: 'kms:*', Resource: '*' }];
  if (admins.length > 0) {
    statements.push({ Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: principal(admins), Action: [...KEY_ADMINISTRATOR_ACTIONS], Resource: '*' });
  }
  if (users.length > 0) {
    statements.push({ Sid: 'Allow use of the key', Effect: 'Allow', Principal: principal(users), Action: userActions, Resource: '*' });
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
  const json = JSON.stringify({ Version: '2012-10-17', Id: 'key-consolepolicy-3', Statement: statements }, null, 2);
  parseKeyPolicy(json); // a bad administrator or user ARN surfaces here as MalformedPolicyDocumentException
  return json;
}

/**
 * PutKeyPolicy's lockout safety check (KMS API Reference, PutKeyPolicy,
 * BypassPolicyLockoutSafetyCheck): "the key policy must allow the principal
 * that is making the PutKeyPolicy request to make a subsequent PutKeyPolicy
 * request on the KMS key". True iff, under `policy`, the caller could still
 * call kms:PutKeyPolicy — directly, or through the account delegation and
 * its identity policies. Pass the key ARN when the policy names the key in
 * Resource; with "*" only statements with Resource "*" count.
 */
export function lockoutCheck(
  policy: PolicyDocument | string,
  callerArn: string,
  account: string,
  identityPolicies: readonly IdentityPolicy[],
  keyArn = '*',
): boolean {
  const doc = typeof policy === 'string' ? parseKeyPolicy(policy) : policy;
  const d = evaluate({ principalArn: callerArn, account, action: 'kms:PutKeyPolicy', resourceArn: keyArn, context: {} }, doc, identityPolicies);
  return d.effect === 'Allow';
}
