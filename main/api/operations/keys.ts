// Key lifecycle: CreateKey, DescribeKey, ListKeys, UpdateKeyDescription,
// EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion.
// (AWS KMS API Reference for each action; states per DESIGN §1.)
import { z } from 'zod';
import { KEY_SPECS, KEY_STATES, KEY_USAGES, ORIGINS } from '../enums.js';
import { operation } from '../operation.js';
import { Description, GrantTokens, KeyId, KeyMetadata, Limit, Marker, TagList } from '../fields.js';


export const CreateKey = operation({
  name: 'CreateKey',
  action: 'kms:CreateKey',
  summary: 'Creates a KMS key (symmetric AES-256-GCM by default; RSA, ECC, Ed25519, X25519, ML-DSA or HMAC by KeySpec/KeyUsage; Origin EXTERNAL for imported material).',
  input: () => z
    .object({
      Description: Description.optional(),
      KeyUsage: z.enum(KEY_USAGES).optional().meta({ description: 'ENCRYPT_DECRYPT (default), SIGN_VERIFY, GENERATE_VERIFY_MAC or KEY_AGREEMENT, as the KeySpec allows.' }),
      KeySpec: z.enum(KEY_SPECS).optional().meta({ description: 'SYMMETRIC_DEFAULT (default), RSA_*, ECC_*, ML_DSA_*, HMAC_*, or ECC_X25519 (Strongroom).' }),
      CustomerMasterKeySpec: z.enum(KEY_SPECS).optional().meta({ description: 'Deprecated; use KeySpec.' }),
      Origin: z.enum(ORIGINS).optional().meta({ description: 'AWS_KMS (default: the vault generates the material) or EXTERNAL (import it with ImportKeyMaterial).' }),
      Tags: TagList.optional(),
      MultiRegion: z.boolean().optional(),
      Policy: z.string().min(1).optional().meta({ description: 'A key policy (AWS policy JSON); default: the AWS console default policy.' }),
      BypassPolicyLockoutSafetyCheck: z.boolean().optional(),
      KeyAdministrators: z.array(z.string()).optional().meta({ description: 'Strongroom: users (names or ARNs) the default policy makes key administrators.' }),
      KeyUsers: z.array(z.string()).optional().meta({ description: 'Strongroom: users (names or ARNs) the default policy lets use the key.' }),
    })
    .strict(),
  output: () => z.object({ KeyMetadata }),
});

export const DescribeKey = operation({
  name: 'DescribeKey',
  action: 'kms:DescribeKey',
  summary: 'Shows a key\'s metadata: state, dates, spec, usage, origin, ARN.',
  input: () => z.object({ KeyId, GrantTokens: GrantTokens.optional() }).strict(),
  output: () => z.object({ KeyMetadata }),
});

export const ListKeys = operation({
  name: 'ListKeys',
  action: 'kms:ListKeys',
  summary: 'Lists the keys of the account in this region (paged with Limit/Marker).',
  input: () => z.object({ Limit: Limit(1000).optional(), Marker: Marker.optional() }).strict(),
  output: () => z.object({
    Keys: z.array(z.object({ KeyId: z.string(), KeyArn: z.string() })),
    NextMarker: z.string().optional(),
    Truncated: z.boolean(),
  }),
});

export const UpdateKeyDescription = operation({
  name: 'UpdateKeyDescription',
  action: 'kms:UpdateKeyDescription',
  summary: 'Replaces a key\'s description.',
  input: () => z.object({ KeyId, Description }).strict(),
  output: () => z.object({}),
});

export const EnableKey = operation({
  name: 'EnableKey',
  action: 'kms:EnableKey',
  summary: "Sets a key's state to Enabled so it can be used.",
  input: () => z.object({ KeyId }).strict(),
  output: () => z.object({}),
});

export const DisableKey = operation({
  name: 'DisableKey',
  action: 'kms:DisableKey',
  summary: "Sets a key's state to Disabled: it refuses cryptographic use until enabled again.",
  input: () => z.object({ KeyId }).strict(),
  output: () => z.object({}),
});

export const ScheduleKeyDeletion = operation({
  name: 'ScheduleKeyDeletion',
  action: 'kms:ScheduleKeyDeletion',
  summary: 'Schedules a key and all its material for destruction after 7–30 days (default 30).',
  input: () => z
    .object({
      KeyId,
      PendingWindowInDays: z.number().int().min(7).max(30).optional().meta({ description: 'Waiting period, 7–30 days.' }),
    })
    .strict(),
  output: () => z.object({
    KeyId: z.string(),
    DeletionDate: z.date(),
    KeyState: z.enum(KEY_STATES),
    PendingWindowInDays: z.number(),
  }),
});

export const CancelKeyDeletion = operation({
  name: 'CancelKeyDeletion',
  action: 'kms:CancelKeyDeletion',
  summary: 'Cancels a scheduled deletion; the key returns to Disabled.',
  input: () => z.object({ KeyId }).strict(),
  output: () => z.object({ KeyId: z.string() }),
});
