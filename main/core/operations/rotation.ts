// EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
// RotateKeyOnDemand, ListKeyRotations (AWS KMS API Reference). Rotation adds
// a material version: new ciphertexts use it, old ones still decrypt with
// the version their blob names.
import { keyArn } from '../codecs/arn.js';
import { KmsError } from '../errors.js';
import { hasMaterial, requireNotPendingDeletion, requireUsable } from '../kms/key-state.js';
import { importedMaterialId } from '../kms/material-id.js';
import { requireRotatable } from '../kms/key-specs.js';
import { decodeMarker, page } from '../service/paging.js';
import { rotateKey } from '../kms/rotate.js';
import type { Handler } from '../service/operation.js';
import type { OpContext } from '../service/context.js';
import type { KeyRecord } from '../model.js';
import type { RotationType } from '../../api/enums.js';

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

/**
 * One entry per key material version (AWS RotationsListEntry). The versions
 * rotation made always; with ALL_KEY_MATERIAL the first one too, and for an
 * imported key whose material was deleted or expired the material it waits
 * for, PENDING_IMPORT (its id, from the import commitment, is the id the
 * same material gets when imported again).
 */
interface MaterialVersion {
  version: number;
  materialId: string;
  rotatedAt: number;
  rotationType: RotationType | null;
  pendingImport: boolean;
}

async function materialVersions(ctx: OpContext, key: KeyRecord): Promise<MaterialVersion[]> {
  const stored = await ctx.repo.materials(key.account, key.keyId);
  const versions: MaterialVersion[] = stored.map((m) => ({ version: m.version, materialId: m.materialId, rotatedAt: m.createdAt, rotationType: m.rotationType, pendingImport: false }));
  if (key.origin === 'EXTERNAL' && !hasMaterial(key)) {
    const commitment = await ctx.repo.materialCommitment(key.account, key.keyId);
    if (commitment) versions.push({ version: key.currentVersion, materialId: importedMaterialId(commitment), rotatedAt: key.createdAt, rotationType: null, pendingImport: true });
  }
  return versions;
}

function rotationEntry(key: KeyRecord, m: MaterialVersion) {
  const imported = key.origin === 'EXTERNAL';
  return {
    KeyId: keyArn(key),
    KeyMaterialId: m.materialId,
    ...(imported ? { ImportState: m.pendingImport ? ('PENDING_IMPORT' as const) : ('IMPORTED' as const) } : {}),
    KeyMaterialState: m.version === key.currentVersion ? ('CURRENT' as const) : ('NON_CURRENT' as const),
    ...(imported && !m.pendingImport && key.expirationModel !== null ? { ExpirationModel: key.expirationModel } : {}),
    ...(imported && !m.pendingImport && key.validTo !== null ? { ValidTo: new Date(key.validTo) } : {}),
    ...(m.rotationType !== null ? { RotationDate: new Date(m.rotatedAt), RotationType: m.rotationType } : {}),
  };
}

export const ListKeyRotations: Handler<'ListKeyRotations'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  // AWS: IncludeKeyMaterial "can only be used with KMS keys that support automatic or on-demand key rotation"
  if (input.IncludeKeyMaterial !== undefined && key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('UnsupportedOperationException', `${keyArn(key)} is a ${key.keySpec} key; IncludeKeyMaterial is for symmetric encryption keys only.`);
  }
  const all = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
  const after = decodeMarker(input.Marker, (m) => /^[1-9][0-9]{0,9}$/.test(m));
  const afterVersion = after === undefined ? 0 : Number(after);
  const listed = (await materialVersions(ctx, key)).filter((m) => (all || m.rotationType !== null) && m.version > afterVersion);
  const { items, ...paging } = page(listed, input.Limit ?? 100, (m) => String(m.version));
  return { Rotations: items.map((m) => rotationEntry(key, m)), ...paging };
};
