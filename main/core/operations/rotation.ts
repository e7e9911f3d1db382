// EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
// RotateKeyOnDemand, ListKeyRotations (AWS KMS API Reference). Rotation adds
// a material version: new ciphertexts use it, old ones still decrypt with
// the version their blob names.
import { keyArn } from '../codecs/arn.js';
import { KmsError } from '../errors.js';
import { requireNotPendingDeletion, requireUsable } from '../kms/key-state.js';
import { requireRotatable } from '../kms/key-specs.js';
import { decodeMarker, page } from '../service/paging.js';
import { rotateKey } from '../kms/rotate.js';
import type { Handler } from '../service/operation.js';

const DAY = 86_400_000;
/** AWS allows ten on-demand rotations per key. */
export const MAX_ON_DEMAND_ROTATIONS = 10;

export const EnableKeyRotation: Handler<'EnableKeyRotation'> = async (ctx, input) => {
  const days = input.RotationPeriodInDays ?? 365;
  // kms:RotationPeriodInDays lets a policy bound the rotation period
  const context = { 'kms:rotationperiodindays': String(days) };
  await ctx.mutateKey(
    input.KeyId,
    (key) => {
      requireRotatable(key);
      requireUsable(key);
      return { ...key, rotationPeriodDays: days, nextRotationAt: ctx.now + days * DAY };
    },
    { context },
  );
  return {};
};

export const DisableKeyRotation: Handler<'DisableKeyRotation'> = async (ctx, input) => {
  await ctx.mutateKey(input.KeyId, (key) => {
    requireRotatable(key);
    requireUsable(key);
    return { ...key, rotationPeriodDays: null, nextRotationAt: null };
  });
  return {};
};

export const GetKeyRotationStatus: Handler<'GetKeyRotationStatus'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  return {
    KeyRotationEnabled: key.rotationPeriodDays !== null,
    KeyId: keyArn(key),
    ...(key.rotationPeriodDays !== null
      ? { RotationPeriodInDays: key.rotationPeriodDays, NextRotationDate: new Date(key.nextRotationAt!) }
      : {}),
  };
};

export const RotateKeyOnDemand: Handler<'RotateKeyOnDemand'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  requireRotatable(key);
  requireNotPendingDeletion(key);
  requireUsable(key);
  const tenant = await ctx.tenant();
  await ctx.write(async (tx) => {
    const cur = await tx.key(ctx.scope, key.keyId);
    if (!cur) throw new KmsError('NotFoundException', `Key '${input.KeyId}' does not exist.`);
    requireUsable(cur);
    const onDemand = (await tx.materials(cur.account, cur.keyId)).filter((m) => m.rotationType === 'ON_DEMAND').length;
    if (onDemand >= MAX_ON_DEMAND_ROTATIONS) {
      throw new KmsError('LimitExceededException', `${keyArn(cur)} has had ${MAX_ON_DEMAND_ROTATIONS} on-demand rotations, the most allowed.`);
    }
    await rotateKey(tx, ctx.materials, tenant, cur, ctx.now, 'ON_DEMAND');
  });
  return { KeyId: keyArn(key) };
};

export const ListKeyRotations: Handler<'ListKeyRotations'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  const after = decodeMarker(input.Marker, (m) => /^[1-9][0-9]{0,9}$/.test(m));
  const afterVersion = after === undefined ? 0 : Number(after);
  const rotations = (await ctx.repo.materials(key.account, key.keyId)).filter((m) => m.rotationType !== null && m.version > afterVersion);
  const { items, ...paging } = page(rotations, input.Limit ?? 100, (m) => String(m.version));
  return {
    Rotations: items.map((m) => ({ KeyId: keyArn(key), RotationDate: new Date(m.createdAt), RotationType: m.rotationType! })),
    ...paging,
  };
};
