// CreateAlias, UpdateAlias, DeleteAlias, ListAliases. An alias is unique per
// account and region and points at one key; TargetKeyId takes a key id or
// key ARN, never another alias (AWS KMS API Reference).
import { z } from 'zod';
import { operation } from '../operation.js';
import { KeyId, Limit, Marker } from '../fields.js';

const AliasName = z.string().min(1).meta({ description: 'alias/<name>' });

export const CreateAlias = operation({
  name: 'CreateAlias',
  action: 'kms:CreateAlias',
  summary: 'Creates a friendly name (alias/…) for a key.',
  input: () => z.object({ AliasName, TargetKeyId: KeyId }).strict(),
  output: () => z.object({}),
});

export const UpdateAlias = operation({
  name: 'UpdateAlias',
  action: 'kms:UpdateAlias',
  summary: 'Points an existing alias at another key of the same key spec and usage.',
  input: () => z.object({ AliasName, TargetKeyId: KeyId }).strict(),
  output: () => z.object({}),
});

export const DeleteAlias = operation({
  name: 'DeleteAlias',
  action: 'kms:DeleteAlias',
  summary: 'Deletes an alias; the key it pointed at is unaffected.',
  input: () => z.object({ AliasName }).strict(),
  output: () => z.object({}),
});

export const ListAliases = operation({
  name: 'ListAliases',
  action: 'kms:ListAliases',
  summary: 'Lists the aliases of the account in this region, or of one key (paged with Limit/Marker).',
  input: () => z.object({ KeyId: KeyId.optional(), Limit: Limit(100).optional(), Marker: Marker.optional() }).strict(),
  output: () => z.object({
    Aliases: z.array(
      z.object({ AliasName: z.string(), AliasArn: z.string(), TargetKeyId: z.string(), CreationDate: z.date(), LastUpdatedDate: z.date() }),
    ),
    NextMarker: z.string().optional(),
    Truncated: z.boolean(),
  }),
});
