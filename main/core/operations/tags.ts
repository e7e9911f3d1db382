// TagResource, UntagResource, ListResourceTags. AWS takes a key id or key
// ARN here, not an alias.
import { KmsError } from '../errors.js';
import { requireNotPendingDeletion } from '../kms/key-state.js';
import { decodeMarker, page } from '../service/paging.js';
import { mergeTags } from '../kms/tags.js';
import type { Handler } from '../service/operation.js';

export const TagResource: Handler<'TagResource'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  requireNotPendingDeletion(key);
  await ctx.write(async (tx) => {
    const cur = await tx.key(ctx.scope, key.keyId);
    if (!cur) throw new KmsError('NotFoundException', `Key '${input.KeyId}' does not exist.`);
    requireNotPendingDeletion(cur);
    await tx.setTags(key.account, key.keyId, mergeTags(await tx.tags(key.account, key.keyId), input.Tags));
  });
  return {};
};

export const UntagResource: Handler<'UntagResource'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  requireNotPendingDeletion(key);
  const drop = new Set(input.TagKeys);
  await ctx.write(async (tx) => {
    const cur = await tx.key(ctx.scope, key.keyId);
    if (!cur) throw new KmsError('NotFoundException', `Key '${input.KeyId}' does not exist.`);
    requireNotPendingDeletion(cur);
    const tags = await tx.tags(key.account, key.keyId);
    await tx.setTags(key.account, key.keyId, tags.filter((t) => !drop.has(t.TagKey)));
  });
  return {};
};

export const ListResourceTags: Handler<'ListResourceTags'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  const after = decodeMarker(input.Marker);
  const all = (await ctx.repo.tags(key.account, key.keyId)).sort((a, b) => (a.TagKey < b.TagKey ? -1 : a.TagKey > b.TagKey ? 1 : 0));
  const rest = after === undefined ? all : all.filter((t) => t.TagKey > after);
  const { items, ...paging } = page(rest, input.Limit ?? 50, (t) => t.TagKey);
  return { Tags: items, ...paging };
};
