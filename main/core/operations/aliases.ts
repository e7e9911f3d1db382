// CreateAlias, UpdateAlias, DeleteAlias, ListAliases. An alias is unique per
// account and region and points at one key; TargetKeyId takes a key id or
// key ARN, never another alias (AWS KMS API Reference).
import { aliasArn } from '../codecs/arn.js';
import { checkAliasName } from '../kms/alias-names.js';
import { KmsError, notFound } from '../errors.js';
import { requireNotPendingDeletion } from '../kms/key-state.js';
import type { AliasRecord } from '../model.js';
import { decodeMarker, page } from '../service/paging.js';
import type { Handler } from '../service/operation.js';


export const CreateAlias: Handler<'CreateAlias'> = async (ctx, input) => {
  const name = checkAliasName(input.AliasName);
  const key = await ctx.key(input.TargetKeyId, { allowAlias: false });
  requireNotPendingDeletion(key);
  await ctx.write(async (tx) => {
    if (await tx.alias(ctx.scope, name)) {
      throw new KmsError('AlreadyExistsException', `An alias named ${aliasArn(ctx.scope, name)} already exists; use UpdateAlias to point it at another key.`);
    }
    const cur = await tx.key(ctx.scope, key.keyId);
    if (!cur) throw notFound(`Key '${input.TargetKeyId}' does not exist.`);
    requireNotPendingDeletion(cur);
    await tx.insertAlias({ account: key.account, region: key.region, aliasName: name, keyId: key.keyId, createdAt: ctx.now, updatedAt: ctx.now });
  });
  return {};
};

export const UpdateAlias: Handler<'UpdateAlias'> = async (ctx, input) => {
  const name = checkAliasName(input.AliasName);
  const existing = await ctx.repo.alias(ctx.scope, name);
  if (!existing) throw notFound(`Alias ${aliasArn(ctx.scope, name)} does not exist.`);
  const oldKey = await ctx.key(existing.keyId, { allowAlias: false });
  const key = await ctx.key(input.TargetKeyId, { allowAlias: false });
  requireNotPendingDeletion(key);
  if (key.keySpec !== oldKey.keySpec || key.keyUsage !== oldKey.keyUsage) {
    throw new KmsError(
      'ValidationException',
      `An alias can only move to a key of the same type: the current key is ${oldKey.keySpec}/${oldKey.keyUsage}, the new one ${key.keySpec}/${key.keyUsage}.`,
    );
  }
  await ctx.write(async (tx) => {
    const cur = await tx.alias(ctx.scope, name);
    if (!cur) throw notFound(`Alias ${aliasArn(ctx.scope, name)} does not exist.`);
    await tx.updateAlias({ ...cur, keyId: key.keyId, updatedAt: ctx.now });
  });
  return {};
};

export const DeleteAlias: Handler<'DeleteAlias'> = async (ctx, input) => {
  const name = checkAliasName(input.AliasName);
  const existing = await ctx.repo.alias(ctx.scope, name);
  if (!existing) throw notFound(`Alias ${aliasArn(ctx.scope, name)} does not exist.`);
  await ctx.key(existing.keyId, { allowAlias: false });
  await ctx.write(async (tx) => {
    if (!(await tx.alias(ctx.scope, name))) throw notFound(`Alias ${aliasArn(ctx.scope, name)} does not exist.`);
    await tx.deleteAlias(ctx.scope, name);
  });
  return {};
};

export const ListAliases: Handler<'ListAliases'> = async (ctx, input) => {
  let keyId: string | undefined;
  if (input.KeyId !== undefined) keyId = (await ctx.key(input.KeyId, { allowAlias: false })).keyId;
  else await ctx.authorize();
  await ctx.runDueWork();
  const limit = input.Limit ?? 50;
  const rows = await ctx.repo.aliases(ctx.scope, keyId, decodeMarker(input.Marker, (m) => m.startsWith('alias/')), limit + 1);
  const { items, ...paging } = page(rows, limit, (a) => a.aliasName);
  return { Aliases: items.map((a: AliasRecord) => entry(a)), ...paging };
  function entry(a: AliasRecord) {
    return {
      AliasName: a.aliasName,
      AliasArn: aliasArn(ctx.scope, a.aliasName),
      TargetKeyId: a.keyId,
      CreationDate: new Date(a.createdAt),
      LastUpdatedDate: new Date(a.updatedAt),
    };
  }
};
