// TagResource, UntagResource, ListResourceTags. AWS takes a key id or key
// ARN here, not an alias.
import { z } from 'zod';
import { operation } from '../operation.js';
import { KeyId, Limit, Marker, TagList } from '../fields.js';

export const TagResource = operation({
  name: 'TagResource',
  action: 'kms:TagResource',
  summary: 'Adds or overwrites tags on a key.',
  input: () => z.object({ KeyId, Tags: TagList }).strict(),
  output: () => z.object({}),
});

export const UntagResource = operation({
  name: 'UntagResource',
  action: 'kms:UntagResource',
  summary: 'Removes tags from a key by TagKey.',
  input: () => z.object({ KeyId, TagKeys: z.array(z.string().min(1).max(128)) }).strict(),
  output: () => z.object({}),
});

export const ListResourceTags = operation({
  name: 'ListResourceTags',
  action: 'kms:ListResourceTags',
  summary: 'Lists a key\'s tags (paged with Limit/Marker).',
  input: () => z.object({ KeyId, Limit: Limit(50).optional(), Marker: Marker.optional() }).strict(),
  output: () => z.object({
    Tags: TagList,
    NextMarker: z.string().optional(),
    Truncated: z.boolean(),
  }),
});
