// EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
// RotateKeyOnDemand, ListKeyRotations (AWS KMS API Reference). Rotation adds
// a material version: new ciphertexts use it, old ones still decrypt with
// the version their blob names.
import { z } from 'zod';
import { operation } from '../operation.js';
import { ROTATION_TYPES } from '../enums.js';
import { KeyId, Limit, Marker } from '../fields.js';

export const EnableKeyRotation = operation({
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
});

export const DisableKeyRotation = operation({
  name: 'DisableKeyRotation',
  action: 'kms:DisableKeyRotation',
  summary: 'Turns off automatic rotation.',
  input: z.object({ KeyId }).strict(),
  output: z.object({}),
});

export const GetKeyRotationStatus = operation({
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
});

export const RotateKeyOnDemand = operation({
  name: 'RotateKeyOnDemand',
  action: 'kms:RotateKeyOnDemand',
  summary: 'Adds a new key material version now; at most 10 on-demand rotations per key.',
  input: z.object({ KeyId }).strict(),
  output: z.object({ KeyId: z.string() }),
});

export const ListKeyRotations = operation({
  name: 'ListKeyRotations',
  action: 'kms:ListKeyRotations',
  summary: 'Lists a key\'s completed rotations, oldest first (paged with Limit/Marker).',
  input: z.object({ KeyId, Limit: Limit(1000).optional(), Marker: Marker.optional() }).strict(),
  output: z.object({
    Rotations: z.array(z.object({ KeyId: z.string(), RotationDate: z.date(), RotationType: z.enum(ROTATION_TYPES) })),
    NextMarker: z.string().optional(),
    Truncated: z.boolean(),
  }),
});
