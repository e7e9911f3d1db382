// Tag rules (AWS KMS Developer Guide, "Tags in AWS KMS"): TagKey 1–128
// characters, TagValue 0–256, at most 50 tags per key, keys unique, the
// `aws:` prefix reserved. Violations are TagException, as in AWS.
import { KmsError } from '../errors.js';
import type { Tag } from '../model.js';

const MAX_TAGS = 50;

export function checkTags(tags: readonly Tag[]): Tag[] {
  // The 50-tag limit applies to CreateKey's Tags as well as to TagResource
  // (AWS KMS API Reference, CreateKey "Tags": TagException past the quota).
  if (tags.length > MAX_TAGS) throw tagError(`A key may have at most ${MAX_TAGS} tags; ${tags.length} were given.`);
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.TagKey.length < 1 || t.TagKey.length > 128) throw tagError(`TagKey '${t.TagKey}' must be 1 to 128 characters long.`);
    if (t.TagValue.length > 256) throw tagError(`TagValue of '${t.TagKey}' must be at most 256 characters long.`);
    if (t.TagKey.toLowerCase().startsWith('aws:')) throw tagError(`TagKey '${t.TagKey}' uses the reserved prefix 'aws:'.`);
    if (seen.has(t.TagKey)) throw tagError(`TagKey '${t.TagKey}' appears more than once.`);
    seen.add(t.TagKey);
  }
  return tags.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue }));
}

/** Merges new tags over existing ones (same TagKey: new value wins) and enforces the per-key limit. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.TagKey, t.TagValue]));
  for (const t of checkTags(added)) merged.set(t.TagKey, t.TagValue);
  if (merged.size > MAX_TAGS) throw tagError(`A key may have at most ${MAX_TAGS} tags; this would give it ${merged.size}.`);
  return [...merged].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

const tagError = (m: string) => new KmsError('TagException', m);
