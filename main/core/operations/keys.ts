// Key lifecycle: CreateKey, DescribeKey, ListKeys, UpdateKeyDescription,
// EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion.
// (AWS KMS API Reference for each action; states per DESIGN §1.)
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { keyArn } from '../arn.js';
import { KmsError, validation } from '../errors.js';
import { keyMetadata, requireNotPendingDeletion } from '../key-state.js';
import type { KeyRecord } from '../model.js';
import { decodeMarker, page } from '../paging.js';
import { defineOperation } from '../operation.js';
import { checkTags } from '../tags.js';
import { Description, KeyId, KeyMetadata, Limit, Marker, TagList } from './fields.js';

/** AWS's default quota of KMS keys per account and region is 100,000. */
export const MAX_KEYS_PER_TENANT = 100_000;
const DAY = 86_400_000;

export const CreateKey = defineOperation({
  name: 'CreateKey',
  action: 'kms:CreateKey',
  summary: 'Creates a customer master key (SYMMETRIC_DEFAULT: AES-256-GCM) in the current account and region.',
  input: z
    .object({
      Description: Description.optional(),
      KeyUsage: z.enum(['ENCRYPT_DECRYPT']).optional(),
      KeySpec: z.enum(['SYMMETRIC_DEFAULT']).optional(),
      CustomerMasterKeySpec: z.enum(['SYMMETRIC_DEFAULT']).optional().meta({ description: 'Deprecated; use KeySpec.' }),
      Origin: z.enum(['AWS_KMS']).optional(),
      Tags: TagList.optional(),
      MultiRegion: z.boolean().optional(),
    })
    .strict(),
  output: z.object({ KeyMetadata }),
  async handler(ctx, input) {
    await ctx.authorize();
    if (input.MultiRegion) {
      throw new KmsError('UnsupportedOperationException', 'Multi-Region keys are not supported: a Strongroom vault is offline and holds each key in one region.');
    }
    if (input.KeySpec && input.CustomerMasterKeySpec) {
      throw validation('Specify KeySpec or CustomerMasterKeySpec, not both (CustomerMasterKeySpec is deprecated).');
    }
    const tags = checkTags(input.Tags ?? []);
    const key: KeyRecord = {
      account: ctx.scope.account,
      region: ctx.scope.region,
      keyId: randomUUID(),
      description: input.Description ?? '',
      keySpec: input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
      keyUsage: input.KeyUsage ?? 'ENCRYPT_DECRYPT',
      origin: input.Origin ?? 'AWS_KMS',
      state: 'Enabled',
      createdAt: ctx.now,
      deletionDate: null,
      pendingWindowDays: null,
      rotationPeriodDays: null,
      nextRotationAt: null,
      currentVersion: 1,
    };
    const tenant = await ctx.tenant();
    const wrapped = ctx.materials.create(tenant, key, 1);
    await ctx.repo.write(async (tx) => {
      if ((await tx.countKeys(key.account)) >= MAX_KEYS_PER_TENANT) {
        throw new KmsError('LimitExceededException', `Account ${key.account} already has ${MAX_KEYS_PER_TENANT} keys, the most it may hold.`);
      }
      await tx.insertKey(key);
      await tx.insertMaterial({ account: key.account, keyId: key.keyId, version: 1, wrapped, createdAt: ctx.now, rotationType: null });
      if (tags.length) await tx.setTags(key.account, key.keyId, tags);
    });
    return { KeyMetadata: keyMetadata(key) };
  },
});

export const DescribeKey = defineOperation({
  name: 'DescribeKey',
  action: 'kms:DescribeKey',
  summary: 'Shows a key\'s metadata: state, dates, spec, usage, origin, ARN.',
  input: z.object({ KeyId }).strict(),
  output: z.object({ KeyMetadata }),
  async handler(ctx, input) {
    const key = await ctx.key(input.KeyId);
    return { KeyMetadata: keyMetadata(key) };
  },
});

export const ListKeys = defineOperation({
  name: 'ListKeys',
  action: 'kms:ListKeys',
  summary: 'Lists the keys of the account in this region (paged with Limit/Marker).',
  input: z.object({ Limit: Limit(1000).optional(), Marker: Marker.optional() }).strict(),
  output: z.object({
    Keys: z.array(z.object({ KeyId: z.string(), KeyArn: z.string() })),
    NextMarker: z.string().optional(),
    Truncated: z.boolean(),
  }),
  async handler(ctx, input) {
    await ctx.authorize();
    const limit = input.Limit ?? 100;
    const after = decodeMarker(input.Marker);
    await ctx.runDueWork();
    const rows = await ctx.repo.keys(ctx.scope, after, limit + 1);
    const { items, ...paging } = page(rows, limit, (k) => k.keyId);
    return { Keys: items.map((k) => ({ KeyId: k.keyId, KeyArn: keyArn(k, k.keyId) })), ...paging };
  },
});

export const UpdateKeyDescription = defineOperation({
  name: 'UpdateKeyDescription',
  action: 'kms:UpdateKeyDescription',
  summary: 'Replaces a key\'s description.',
  input: z.object({ KeyId, Description }).strict(),
  output: z.object({}),
  async handler(ctx, input) {
    await ctx.mutateKey(input.KeyId, (key) => {
      requireNotPendingDeletion(key);
      return { ...key, description: input.Description };
    });
    return {};
  },
});

export const EnableKey = defineOperation({
  name: 'EnableKey',
  action: 'kms:EnableKey',
  summary: 'Sets a key\'s state to Enabled so it can be used.',
  input: z.object({ KeyId }).strict(),
  output: z.object({}),
  async handler(ctx, input) {
    await ctx.mutateKey(input.KeyId, (key) => {
      requireNotPendingDeletion(key);
      return { ...key, state: 'Enabled' };
    });
    return {};
  },
});

export const DisableKey = defineOperation({
  name: 'DisableKey',
  action: 'kms:DisableKey',
  summary: 'Sets a key\'s state to Disabled: it refuses cryptographic use until enabled again.',
  input: z.object({ KeyId }).strict(),
  output: z.object({}),
  async handler(ctx, input) {
    await ctx.mutateKey(input.KeyId, (key) => {
      requireNotPendingDeletion(key);
      return { ...key, state: 'Disabled' };
    });
    return {};
  },
});

export const ScheduleKeyDeletion = defineOperation({
  name: 'ScheduleKeyDeletion',
  action: 'kms:ScheduleKeyDeletion',
  summary: 'Schedules a key and all its material for destruction after 7–30 days (default 30).',
  input: z
    .object({
      KeyId,
      PendingWindowInDays: z.number().int().min(7).max(30).optional().meta({ description: 'Waiting period, 7–30 days.' }),
    })
    .strict(),
  output: z.object({
    KeyId: z.string(),
    DeletionDate: z.date(),
    KeyState: z.string(),
    PendingWindowInDays: z.number(),
  }),
  async handler(ctx, input) {
    const days = input.PendingWindowInDays ?? 30;
    const key = await ctx.mutateKey(input.KeyId, (key) => {
      requireNotPendingDeletion(key);
      return { ...key, state: 'PendingDeletion', deletionDate: ctx.now + days * DAY, pendingWindowDays: days };
    });
    return { KeyId: keyArn(key, key.keyId), DeletionDate: new Date(key.deletionDate!), KeyState: key.state, PendingWindowInDays: days };
  },
});

export const CancelKeyDeletion = defineOperation({
  name: 'CancelKeyDeletion',
  action: 'kms:CancelKeyDeletion',
  summary: 'Cancels a scheduled deletion; the key returns to Disabled.',
  input: z.object({ KeyId }).strict(),
  output: z.object({ KeyId: z.string() }),
  async handler(ctx, input) {
    const key = await ctx.mutateKey(input.KeyId, (key) => {
      if (key.state !== 'PendingDeletion') {
        throw new KmsError('KMSInvalidStateException', `${keyArn(key, key.keyId)} is ${key.state}, not pending deletion, so there is no deletion to cancel.`);
      }
      return { ...key, state: 'Disabled', deletionDate: null, pendingWindowDays: null };
    });
    return { KeyId: keyArn(key, key.keyId) };
  },
});
