// The key policy CreateKey writes when the caller gives none, shaped like
// the AWS KMS console's default (KMS Developer Guide "Default key policy"),
// built by the contract's one builder (main/api/default-key-policy.ts: the
// desktop app shows the same text before creating a key) and validated
// here; and PutKeyPolicy's lockout safety check.
import { validation } from '../errors.js';
import { defaultKeyPolicyJson, KEY_ADMINISTRATOR_ACTIONS, keyUserActionsOf } from '../../api/default-key-policy.js';
import type { KeyUsage } from '../../api/enums.js';
import { parseKeyPolicy, type PolicyDocument } from './document.js';
import { evaluate, type IdentityPolicy } from './evaluate.js';

export { KEY_ADMINISTRATOR_ACTIONS };

/** "Allows key users to use a KMS key for cryptographic operations", by key usage (and, for encryption, symmetric vs asymmetric). */
export function keyUserActions(keyUsage: string, keySpec?: string): string[] {
  const actions = keyUserActionsOf(keyUsage as KeyUsage, keySpec);
  if (!actions) throw validation(`Unknown KeyUsage ${JSON.stringify(keyUsage)}: expected ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC or KEY_AGREEMENT.`);
  return actions;
}

export interface DefaultKeyPolicyOptions {
  keyAdministrators: readonly string[];
  keyUsers: readonly string[];
  keyUsage: string;
  /** distinguishes asymmetric ENCRYPT_DECRYPT keys; SYMMETRIC_DEFAULT when omitted */
  keySpec?: string;
}

/**
 * The console's default key policy as JSON (defaultKeyPolicyJson). Principals
 * are validated by parsing the result.
 */
export function defaultKeyPolicy(account: string, options: DefaultKeyPolicyOptions): string {
  keyUserActions(options.keyUsage, options.keySpec); // an unknown usage is a ValidationException, named
  const json = defaultKeyPolicyJson(account, { ...options, keyUsage: options.keyUsage as KeyUsage });
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
