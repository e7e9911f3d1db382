// GetKeyPolicy, PutKeyPolicy, ListKeyPolicies (AWS KMS API Reference), and
// GetKeyAccessMatrix: for each user of the tenant and each KMS action, who
// may do what on one key and which statement decided — what the desktop
// UI's permission matrix shows. A key has one policy, named "default".
// The users a policy names are bound to who they were when it was saved
// (principal-binding.ts): a deleted user shows as its unique id.
import type { OpContext } from '../service/context.js';
import { KmsError } from '../errors.js';
import type { KeyRecord } from '../model.js';
import { parseKeyPolicy } from '../policy/document.js';
import { bindKeyPolicy, keyPolicyAsShown } from '../policy/principal-binding.js';
import { baseContext } from '../policy/authorize.js';
import type { Handler } from '../service/operation.js';

export const MAX_KEY_POLICY_BYTES = 32 * 1024;

/**
 * Validates a new key policy and binds the users it names
 * (principal-binding.ts), then, unless bypassed, runs AWS's lockout safety
 * check: the caller must still be able to call PutKeyPolicy under it.
 * Returns the key record with the new policy and its bindings.
 */
export async function checkNewKeyPolicy(ctx: OpContext, key: KeyRecord, policy: string, bypass: boolean): Promise<KeyRecord> {
  if (Buffer.byteLength(policy) > MAX_KEY_POLICY_BYTES) {
    throw new KmsError('MalformedPolicyDocumentException', `The key policy is ${Buffer.byteLength(policy)} bytes; the limit is ${MAX_KEY_POLICY_BYTES}.`);
  }
  const next: KeyRecord = { ...key, policy, policyPrincipals: await bindKeyPolicy(ctx.repo, key.account, parseKeyPolicy(policy)) };
  if (bypass) return next;
  const { caller } = ctx;
  const decision = await ctx.authorizer.decide(caller.arn, caller.account, caller.userName, 'kms:PutKeyPolicy', next, baseContext(caller, next));
  if (decision.effect !== 'Allow') {
    throw new KmsError(
      'MalformedPolicyDocumentException',
      `The new key policy will not allow you to update the key policy in the future (${caller.arn} would lose kms:PutKeyPolicy). Fix the policy, or pass BypassPolicyLockoutSafetyCheck if you mean it.`,
    );
  }
  return next;
}

export const GetKeyPolicy: Handler<'GetKeyPolicy'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  return { Policy: await keyPolicyAsShown(ctx.repo, key), PolicyName: 'default' };
};

export const PutKeyPolicy: Handler<'PutKeyPolicy'> = async (ctx, input) => {
  const bypass = input.BypassPolicyLockoutSafetyCheck ?? false;
  // kms:BypassPolicyLockoutSafetyCheck lets a policy deny (or require) the bypass flag, as in AWS
  const context = { 'kms:bypasspolicylockoutsafetycheck': String(bypass) };
  const key = await ctx.key(input.KeyId, { allowAlias: false, context });
  if (key.state === 'PendingDeletion') {
    throw new KmsError('KMSInvalidStateException', `Key ${key.keyId} is pending deletion; cancel the deletion before changing its policy.`);
  }
  const { policyPrincipals } = await checkNewKeyPolicy(ctx, key, input.Policy, bypass);
  await ctx.mutateKey(key.keyId, (cur) => ({ ...cur, policy: input.Policy, policyPrincipals }), { context });
  return {};
};

export const ListKeyPolicies: Handler<'ListKeyPolicies'> = async (ctx, input) => {
  await ctx.key(input.KeyId, { allowAlias: false });
  if (input.Marker !== undefined) throw new KmsError('InvalidMarkerException', 'The Marker is not one this vault returned; pass NextMarker unchanged.');
  return { PolicyNames: ['default'], Truncated: false };
};

/** The KMS actions the matrix covers: the ones that act on an existing key. */
export const KEY_ACTIONS = [
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:Sign',
  'kms:Verify',
  'kms:GetPublicKey',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:DeriveSharedSecret',
  'kms:CreateGrant',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:UpdateKeyDescription',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  // keys with Origin EXTERNAL: the desktop's import wizard is offered by these
  'kms:GetParametersForImport',
  'kms:ImportKeyMaterial',
  'kms:DeleteImportedKeyMaterial',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
];

export const GetKeyAccessMatrix: Handler<'GetKeyAccessMatrix'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  const users = await ctx.repo.users(ctx.scope.account);
  const Principals = [];
  for (const u of users) {
    const arn = `arn:strongroom:iam::${u.account}:user/${u.userName}`;
    const who = { account: u.account, region: ctx.scope.region, userName: u.userName, arn, source: ctx.caller.source };
    const Decisions = [];
    for (const action of KEY_ACTIONS) {
      const d = await ctx.authorizer.decide(arn, u.account, u.userName, action, key, baseContext(who, key));
      Decisions.push({
        Action: action,
        Decision: d.effect,
        ...(d.source ? { Source: d.source } : {}),
        ...(d.policyName ? { PolicyName: d.policyName } : {}),
        ...(d.sid ? { Sid: d.sid } : {}),
        Reason: d.reason,
      });
    }
    Principals.push({ Principal: arn, UserName: u.userName, Decisions });
  }
  return { KeyId: key.keyId, Actions: KEY_ACTIONS, Principals };
};
