// EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
// RotateKeyOnDemand, ListKeyRotations (AWS KMS API Reference). Rotation adds
// a material version: new ciphertexts use it, old ones still decrypt with
// the version their blob names.
import { z } from 'zod';
import { operation } from '../operation.js';
import { EXPIRATION_MODELS, IMPORT_STATES, INCLUDE_KEY_MATERIAL, KEY_MATERIAL_STATES, ROTATION_TYPES } from '../enums.js';
import { KeyId, KeyMaterialId, Limit, Marker } from '../fields.js';

export const EnableKeyRotation = operation({
  name: 'EnableKeyRotation',
  action: 'kms:EnableKeyRotation',
  summary: 'Turns on automatic rotation every RotationPeriodInDays (90–2560, default 365).',
  input: () => z
    .object({
      KeyId,
      RotationPeriodInDays: z.number().int().min(90).max(2560).optional().meta({ description: 'Days between rotations, 90–2560.' }),
    })
    .strict(),
  output: () => z.object({}),
});

export const DisableKeyRotation = operation({
  name: 'DisableKeyRotation',
  action: 'kms:DisableKeyRotation',
  summary: 'Turns off automatic rotation.',
  input: () => z.object({ KeyId }).strict(),
  output: () => z.object({}),
});

export const GetKeyRotationStatus = operation({
  name: 'GetKeyRotationStatus',
  action: 'kms:GetKeyRotationStatus',
  summary: 'Shows whether automatic rotation is on, its period and the next rotation date.',
  input: () => z.object({ KeyId }).strict(),
  output: () => z.object({
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
  input: () => z.object({ KeyId }).strict(),
  output: () => z.object({ KeyId: z.string() }),
});

export const ListKeyRotations = operation({
  name: 'ListKeyRotations',
  action: 'kms:ListKeyRotations',
  summary: 'Lists a key\'s completed rotations (or, with IncludeKeyMaterial ALL_KEY_MATERIAL, every key material version), oldest first (paged with Limit/Marker).',
  input: () => z
    .object({
      KeyId,
      IncludeKeyMaterial: z
        .enum(INCLUDE_KEY_MATERIAL)
        .optional()
        .meta({ description: 'ROTATIONS_ONLY (default) or ALL_KEY_MATERIAL (adds the first key material, and imported material); symmetric encryption keys only.' }),
      Limit: Limit(1000).optional(),
      Marker: Marker.optional(),
    })
    .strict(),
  output: () => z.object({
    // AWS RotationsListEntry: one key material version. ImportState, ExpirationModel and ValidTo are there
    // for imported material (Origin EXTERNAL) only; RotationDate and RotationType not for the first material.
    Rotations: z.array(
      z.object({
        KeyId: z.string(),
        KeyMaterialId,
        ImportState: z.enum(IMPORT_STATES).optional(),
        KeyMaterialState: z.enum(KEY_MATERIAL_STATES),
        ExpirationModel: z.enum(EXPIRATION_MODELS).optional(),
        ValidTo: z.date().optional(),
        RotationDate: z.date().optional(),
        RotationType: z.enum(ROTATION_TYPES).optional(),
      }),
    ),
    NextMarker: z.string().optional(),
    Truncated: z.boolean(),
  }),
});
