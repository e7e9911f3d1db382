// Field schemas shared by the operations, with AWS KMS's constraints
// (AWS KMS API Reference, "Request Parameters" of each action). `blob`
// marks binary fields so adapters know to take files/base64 and print base64.
import { z } from 'zod';

export const blob = (description: string, max: number, min = 1) =>
  z
    .custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected binary data (a blob)' })
    .refine((v) => v.length >= min && v.length <= max, {
      message: `must be between ${min} and ${max} bytes long`,
    })
    .meta({ blob: true, description });

export const KeyId = z.string().min(1).max(2048).meta({
  description: 'Key id, key ARN, alias name (alias/…) or alias ARN.',
});

export const EncryptionContext = z
  .record(z.string(), z.string())
  .meta({ description: 'Key-value pairs bound to the ciphertext; decrypting needs the same pairs.' });

export const Limit = (max: number) => z.number().int().min(1).max(max).meta({ description: `At most this many items (1–${max}).` });
export const Marker = z.string().min(1).max(1024).meta({ description: 'NextMarker from a truncated response.' });

export const Description = z.string().max(8192).meta({ description: 'A description of the key.' });

export const TagList = z
  .array(
    z.object({
      TagKey: z.string(),
      TagValue: z.string(),
    }).strict(),
  )
  .meta({ description: 'Tags: TagKey=k,TagValue=v …' });

export const KeyMetadata = z.object({
  AWSAccountId: z.string(),
  KeyId: z.string(),
  Arn: z.string(),
  CreationDate: z.date(),
  Enabled: z.boolean(),
  Description: z.string(),
  KeyUsage: z.string(),
  KeyState: z.string(),
  DeletionDate: z.date().optional(),
  PendingDeletionWindowInDays: z.number().optional(),
  Origin: z.string(),
  KeyManager: z.literal('CUSTOMER'),
  CustomerMasterKeySpec: z.string(),
  KeySpec: z.string(),
  EncryptionAlgorithms: z.array(z.string()),
  MultiRegion: z.boolean(),
});

/** Binary output (ciphertexts, plaintexts, random bytes); adapters print it as base64. */
export const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array).meta({ blob: true });
