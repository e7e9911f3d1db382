// EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
// RotateKeyOnDemand, ListKeyRotations (AWS KMS API Reference). Rotation adds
// a material version: new ciphertexts use it, old ones still decrypt with
// the version their blob names.
import { z } from 'zod';
import { keyArn } from '../arn.js';
import { KmsError } from '../errors.js';
import { requireNotPendingDeletion, requireUsable } from '../key-state.js';
import { requireRotatable } from '../key-specs.js';
import { decodeMarker, page } from '../paging.js';
import { defineOperation } from '../operation.js';
import { rotateKey } from '../rotate.js';
import { KeyId, Limit, Marker } from '../../api/fields.js';

const DAY = 86_400_000;
/** AWS allows ten on-demand rotations per key. */
export const MAX_ON_DEMAND_ROTATIONS = 10;

export const EnableKeyRotation = defineOperation({
  name: 'EnableKeyRotation',
  action: 'kms:EnableKeyRotation',
  summary: 'Turns on automatic rotation every RotationPeriodInDays (90–2560, default 365).',
  input: z
    .object({
      KeyId,
      RotationPeriodInDays: z.number().int().min(90).max(2560).optional().meta({ description: 'Days between rotations, 90–2560.' }),
    })
    .strict(),
  output: z.object({}),
  async handler(ctx, input) {
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
  },
});

export const DisableKeyRotation = defineOperation({
  name: 'DisableKeyRotation',
  action: 'kms:DisableKeyRotation',
  summary: 'Turns off automatic rotation.',
  input: z.object({ KeyId }).strict(),
  output: z.object({}),
  async handler(ctx, input) {
    await ctx.mutateKey(input.KeyId, (key) => {
      requireRotatable(key);
      requireUsable(key);
      return { ...key, rotationPeriodDays: null, nextRotationAt: null };
    });
    return {};
  },
});

export const GetKeyRotationStatus = defineOperation({
  name: 'GetKeyRotationStatus',
  action: 'kms:GetKeyRotationStatus',
  summary: 'Shows whether automatic rotation is on, its period and the next rotation date.',
  input: z.object({ KeyId }).strict(),
  output: z.object({
    KeyRotationEnabled: z.boolean(),
    KeyId: z.string(),
    RotationPeriodInDays: z.number().optional(),
    NextRotationDate: z.date().optional(),
    OnDemandRotationStartDate: z.date().optional(),
  }),
  async handler(ctx, input) {
    const key = await ctx.key(input.KeyId, { allowAlias: false });
    return {
      KeyRotationEnabled: key.rotationPeriodDays !== null,
      KeyId: keyArn(key, key.keyId),
      ...(key.rotationPeriodDays !== null
        ? { RotationPeriodInDays: key.rotationPeriodDays, NextRotationDate: new Date(key.nextRotationAt!) }
        : {}),
    };
  },
});

export const RotateKeyOnDemand = defineOperation({
  name: 'RotateKeyOnDemand',
  action: 'kms:RotateKeyOnDemand',
  summary: 'Adds a new key material version now; at most 10 on-demand rotations per key.',
  input: z.object({ KeyId }).strict(),
  output: z.object({ KeyId: z.string() }),
  async handler(ctx, input) {
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
        throw new KmsError('LimitExceededException', `${keyArn(cur, cur.keyId)} has had ${MAX_ON_DEMAND_ROTATIONS} on-demand rotations, the most allowed.`);
      }
      await rotateKey(tx, ctx.materials, tenant, cur, ctx.now, 'ON_DEMAND');
    });
    return { KeyId: keyArn(key, key.keyId) };
  },
});

export const ListKeyRotations = defineOperation({
  name: 'ListKeyRotations',
  action: 'kms:ListKeyRotations',
  summary: 'Lists a key\'s completed rotations, oldest first (paged with Limit/Marker).',
  input: z.object({ KeyId, Limit: Limit(1000).optional(), Marker: Marker.optional() }).strict(),
  output: z.object({
    Rotations: z.array(z.object({ KeyId: z.string(), RotationDate: z.date(), RotationType: z.string() })),
    NextMarker: z.string().optional(),
    Truncated: z.boolean(),
  }),
  async handler(ctx, input) {
    const key = await ctx.key(input.KeyId, { allowAlias: false });
    const after = decodeMarker(input.Marker, (m) => /^[1-9][0-9]{0,9}$/.test(m));
    const afterVersion = after === undefined ? 0 : Number(after);
    const rotations = (await ctx.repo.materials(key.account, key.keyId)).filter((m) => m.rotationType !== null && m.version > afterVersion);
    const { items, ...paging } = page(rotations, input.Limit ?? 100, (m) => String(m.version));
    return {
      Rotations: items.map((m) => ({ KeyId: keyArn(key, key.keyId), RotationDate: new Date(m.createdAt), RotationType: m.rotationType! })),
      ...paging,
    };
  },
});
