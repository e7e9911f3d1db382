// CreateAlias, UpdateAlias, DeleteAlias, ListAliases. An alias is unique per
// account and region and points at one key; TargetKeyId takes a key id or
// key ARN, never another alias (AWS KMS API Reference).
import { z } from 'zod';
import { aliasArn } from '../arn.js';
import { checkAliasName } from '../aliases.js';
import { KmsError, notFound } from '../errors.js';
import { requireNotPendingDeletion } from '../key-state.js';
import type { AliasRecord } from '../model.js';
import { decodeMarker, page } from '../paging.js';
import { defineOperation } from '../operation.js';
import { KeyId, Limit, Marker } from '../../api/fields.js';

const AliasName = z.string().min(1).meta({ description: 'alias/<name>' });

export const CreateAlias = defineOperation({
  name: 'CreateAlias',
  action: 'kms:CreateAlias',
  summary: 'Creates a friendly name (alias/…) for a key.',
  input: z.object({ AliasName, TargetKeyId: KeyId }).strict(),
  output: z.object({}),
  async handler(ctx, input) {
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
  },
});

export const UpdateAlias = defineOperation({
  name: 'UpdateAlias',
  action: 'kms:UpdateAlias',
  summary: 'Points an existing alias at another key of the same key spec and usage.',
  input: z.object({ AliasName, TargetKeyId: KeyId }).strict(),
  output: z.object({}),
  async handler(ctx, input) {
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
  },
});

export const DeleteAlias = defineOperation({
  name: 'DeleteAlias',
  action: 'kms:DeleteAlias',
  summary: 'Deletes an alias; the key it pointed at is unaffected.',
  input: z.object({ AliasName }).strict(),
  output: z.object({}),
  async handler(ctx, input) {
    const name = checkAliasName(input.AliasName);
    const existing = await ctx.repo.alias(ctx.scope, name);
    if (!existing) throw notFound(`Alias ${aliasArn(ctx.scope, name)} does not exist.`);
    await ctx.key(existing.keyId, { allowAlias: false });
    await ctx.write(async (tx) => {
      if (!(await tx.alias(ctx.scope, name))) throw notFound(`Alias ${aliasArn(ctx.scope, name)} does not exist.`);
      await tx.deleteAlias(ctx.scope, name);
    });
    return {};
  },
});

export const ListAliases = defineOperation({
  name: 'ListAliases',
  action: 'kms:ListAliases',
  summary: 'Lists the aliases of the account in this region, or of one key (paged with Limit/Marker).',
  input: z.object({ KeyId: KeyId.optional(), Limit: Limit(100).optional(), Marker: Marker.optional() }).strict(),
  output: z.object({
    Aliases: z.array(
      z.object({ AliasName: z.string(), AliasArn: z.string(), TargetKeyId: z.string(), CreationDate: z.date(), LastUpdatedDate: z.date() }),
    ),
    NextMarker: z.string().optional(),
    Truncated: z.boolean(),
  }),
  async handler(ctx, input) {
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
  },
});
