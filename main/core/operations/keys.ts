// Key lifecycle: CreateKey, DescribeKey, ListKeys, UpdateKeyDescription,
// EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion.
// (AWS KMS API Reference for each action; states per DESIGN §1.)
import { randomUUID } from 'node:crypto';
import { isKeyId, keyArn, userArn } from '../codecs/arn.js';
import type { OpContext } from '../service/context.js';
import { KmsError, shown, validation } from '../errors.js';
import { hasMaterial, keyMetadata, requireNotPendingDeletion, requireNotPendingImport } from '../kms/key-state.js';
import { checkSpecUsage } from '../kms/key-specs.js';
import { currentMaterialId, newMaterialId } from '../kms/material-id.js';
import { type KeyRecord } from '../model.js';
import { decodeMarker, page } from '../service/paging.js';
import { defaultKeyPolicy } from '../policy/key-policies.js';
import { bindKeyPolicy } from '../policy/principal-binding.js';
import { checkTags } from '../kms/tags.js';
import { checkNewKeyPolicy } from './key-policies.js';
import type { Handler } from '../service/operation.js';

/** AWS's default quota of KMS keys per account and region is 100,000. */
export const MAX_KEYS_PER_TENANT = 100_000;
const DAY = 86_400_000;

/** Key administrators and users named by user name or ARN become ARNs of users that exist in the account. */
async function principals(ctx: OpContext, names: string[] | undefined, field: string): Promise<string[]> {
  const out: string[] = [];
  for (const n of names ?? []) {
    const prefix = `arn:strongroom:iam::${ctx.scope.account}:user/`;
    const name = n.startsWith('arn:') ? (n.startsWith(prefix) ? n.slice(prefix.length) : '') : n;
    if (!name || !(await ctx.repo.user(ctx.scope.account, name))) {
      throw new KmsError('MalformedPolicyDocumentException', `${field}: '${shown(n)}' is not a user of account ${ctx.scope.account}.`);
    }
    out.push(userArn(ctx.scope.account, name));
  }
  return out;
}

export const CreateKey: Handler<'CreateKey'> = async (ctx, input) => {
  if (input.KeySpec && input.CustomerMasterKeySpec) {
    throw validation('Specify KeySpec or CustomerMasterKeySpec, not both (CustomerMasterKeySpec is deprecated).');
  }
  const keySpec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  const keyUsage = checkSpecUsage(keySpec, input.KeyUsage);
  const origin = input.Origin ?? 'AWS_KMS';
  // The condition keys AWS sets for CreateKey, so an IAM policy can allow or deny by them
  // (KMS Developer Guide, kms:KeySpec, kms:KeyUsage, kms:KeyOrigin, kms:MultiRegion, kms:BypassPolicyLockoutSafetyCheck).
  await ctx.authorize(undefined, {
    'kms:keyspec': keySpec,
    'kms:keyusage': keyUsage,
    'kms:keyorigin': origin,
    'kms:multiregion': String(input.MultiRegion ?? false),
    'kms:bypasspolicylockoutsafetycheck': String(input.BypassPolicyLockoutSafetyCheck ?? false),
  });
  if (input.MultiRegion) {
    throw new KmsError('UnsupportedOperationException', 'Multi-Region keys are not supported: a Strongroom vault is offline and holds each key in one region.');
  }
  const tags = checkTags(input.Tags ?? []);
  if (input.Policy !== undefined && (input.KeyAdministrators || input.KeyUsers)) {
    throw validation('Pass either Policy or KeyAdministrators/KeyUsers (which build the default policy), not both.');
  }
  const policy =
    input.Policy ??
    defaultKeyPolicy(ctx.scope.account, {
      keyAdministrators: await principals(ctx, input.KeyAdministrators, 'KeyAdministrators'),
      keyUsers: await principals(ctx, input.KeyUsers, 'KeyUsers'),
      keyUsage,
      // an asymmetric ENCRYPT_DECRYPT key's users need GetPublicKey, not GenerateDataKey*
      keySpec,
    });
  const draft: KeyRecord = {
    account: ctx.scope.account,
    region: ctx.scope.region,
    keyId: randomUUID(),
    description: input.Description ?? '',
    keySpec,
    keyUsage,
    origin,
    // an EXTERNAL key has no material until ImportKeyMaterial
    state: origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
    createdAt: ctx.now,
    deletionDate: null,
    pendingWindowDays: null,
    rotationPeriodDays: null,
    nextRotationAt: null,
    currentVersion: 1,
    policy,
    policyPrincipals: {},
    validTo: null,
    expirationModel: null,
  };
  // the users the policy names are bound to who they are now (principal-binding.ts); a given policy is also checked
  const key =
    input.Policy === undefined
      ? { ...draft, policyPrincipals: await bindKeyPolicy(ctx.repo, draft.account, policy) }
      : await checkNewKeyPolicy(ctx, draft, input.Policy, input.BypassPolicyLockoutSafetyCheck ?? false);
  const tenant = await ctx.tenant();
  const wrapped = origin === 'EXTERNAL' ? undefined : await ctx.materials.generate(tenant, key, 1);
  const materialId = newMaterialId();
  await ctx.write(async (tx) => {
    if ((await tx.countKeys(key.account)) >= MAX_KEYS_PER_TENANT) {
      throw new KmsError('LimitExceededException', `Account ${key.account} already has ${MAX_KEYS_PER_TENANT} keys, the most it may hold.`);
    }
    await tx.insertKey(key);
    if (wrapped) await tx.insertMaterial({ account: key.account, keyId: key.keyId, version: 1, wrapped, createdAt: ctx.now, rotationType: null, materialId });
    if (tags.length) await tx.setTags(key.account, key.keyId, tags);
  });
  return { KeyMetadata: keyMetadata(key, key.keySpec === 'SYMMETRIC_DEFAULT' && wrapped ? materialId : undefined) };
};

export const DescribeKey: Handler<'DescribeKey'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId);
  return { KeyMetadata: keyMetadata(key, await currentMaterialId(ctx.repo, key)) };
};

export const ListKeys: Handler<'ListKeys'> = async (ctx, input) => {
  await ctx.authorize();
  const limit = input.Limit ?? 100;
  const after = decodeMarker(input.Marker, isKeyId);
  await ctx.runDueWork();
  const rows = await ctx.repo.keys(ctx.scope, after, limit + 1);
  const { items, ...paging } = page(rows, limit, (k) => k.keyId);
  return { Keys: items.map((k) => ({ KeyId: k.keyId, KeyArn: keyArn(k) })), ...paging };
};

export const UpdateKeyDescription: Handler<'UpdateKeyDescription'> = async (ctx, input) => {
  await ctx.mutateKey(input.KeyId, (key) => {
    requireNotPendingDeletion(key);
    return { ...key, description: input.Description };
  });
  return {};
};

/** EnableKey and DisableKey: the same rule (not pending deletion or import), a different target state. */
const setKeyState =
  (state: 'Enabled' | 'Disabled'): Handler<'EnableKey' | 'DisableKey'> =>
  async (ctx, input) => {
      await ctx.mutateKey(input.KeyId, (key) => {
        requireNotPendingDeletion(key);
        requireNotPendingImport(key);
        return { ...key, state };
      });
      return {};
    };
export const EnableKey = setKeyState('Enabled');
export const DisableKey = setKeyState('Disabled');

export const ScheduleKeyDeletion: Handler<'ScheduleKeyDeletion'> = async (ctx, input) => {
  const days = input.PendingWindowInDays ?? 30;
  // kms:ScheduleKeyDeletionPendingWindowInDays lets a key policy set a minimum waiting period
  const context = { 'kms:schedulekeydeletionpendingwindowindays': String(days) };
  const key = await ctx.mutateKey(
    input.KeyId,
    (key) => {
      requireNotPendingDeletion(key);
      return { ...key, state: 'PendingDeletion', deletionDate: ctx.now + days * DAY, pendingWindowDays: days };
    },
    { context },
  );
  return { KeyId: keyArn(key), DeletionDate: new Date(key.deletionDate!), KeyState: key.state, PendingWindowInDays: days };
};

export const CancelKeyDeletion: Handler<'CancelKeyDeletion'> = async (ctx, input) => {
  const key = await ctx.mutateKey(input.KeyId, (key) => {
    if (key.state !== 'PendingDeletion') {
      throw new KmsError('KMSInvalidStateException', `${keyArn(key)} is ${key.state}, not pending deletion, so there is no deletion to cancel.`);
    }
    // a key with no imported material goes back to waiting for it
    return { ...key, state: hasMaterial(key) ? 'Disabled' : 'PendingImport', deletionDate: null, pendingWindowDays: null };
  });
  return { KeyId: keyArn(key) };
};
