import { ENCRYPTION_ALGORITHMS, EXPIRATION_MODELS, KEY_AGREEMENT_ALGORITHMS, KEY_SPECS, KEY_STATES, KEY_USAGES, MAC_ALGORITHMS, ORIGINS, SIGNING_ALGORITHMS } from './enums.js';
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
    // maxBytes: adapters read no more than this (and one byte) of a file given for the field
    .meta({ blob: true, description, maxBytes: max });

export const KeyId = z.string().min(1).max(2048).meta({
  description: 'Key id, key ARN, alias name (alias/…) or alias ARN.',
});

// zod's record silently drops an own '__proto__' key (so it cannot replace
// the prototype of the object it builds). Dropped, the pair would not be
// bound to the ciphertext although the caller passed it, so a decrypt
// without it would succeed; refuse the key instead (a ValidationException).
const withoutProtoKey = z.custom<Record<string, string>>(
  (v) => typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, '__proto__'),
  { message: "'__proto__' cannot be an EncryptionContext key" },
);

export const EncryptionContext = withoutProtoKey
  .pipe(z.record(z.string(), z.string()))
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

/**
 * A key material id (AWS BackingKeyIdType): 64 lowercase hex characters
 * naming one material version of a key (main/core/kms/material-id.ts).
 */
export const KeyMaterialId = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');

// Members in the order of AWS's model (botocore kms service-2.json, KeyMetadata), which is the
// order the AWS CLI prints them in; the service returns every output in its schema's order
// (member-order.ts), and test/api/aws-model-conformance.test.ts holds the two together.
export const KeyMetadata = z.object({
  AWSAccountId: z.string(),
  KeyId: z.string(),
  Arn: z.string(),
  CreationDate: z.date(),
  Enabled: z.boolean(),
  Description: z.string(),
  KeyUsage: z.enum(KEY_USAGES),
  KeyState: z.enum(KEY_STATES),
  DeletionDate: z.date().optional(),
  ValidTo: z.date().optional(),
  Origin: z.enum(ORIGINS),
  ExpirationModel: z.enum(EXPIRATION_MODELS).optional(),
  KeyManager: z.literal('CUSTOMER'),
  CustomerMasterKeySpec: z.enum(KEY_SPECS),
  KeySpec: z.enum(KEY_SPECS),
  EncryptionAlgorithms: z.array(z.enum(ENCRYPTION_ALGORITHMS)).optional(),
  SigningAlgorithms: z.array(z.enum(SIGNING_ALGORITHMS)).optional(),
  KeyAgreementAlgorithms: z.array(z.enum(KEY_AGREEMENT_ALGORITHMS)).optional(),
  MultiRegion: z.boolean(),
  PendingDeletionWindowInDays: z.number().optional(),
  MacAlgorithms: z.array(z.enum(MAC_ALGORITHMS)).optional(),
  /** symmetric encryption keys only, as AWS shows it */
  CurrentKeyMaterialId: KeyMaterialId.optional(),
});

/** Binary output (ciphertexts, plaintexts, random bytes); adapters print it as base64. */
export const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array).meta({ blob: true });

/**
 * DryRun (AWS KMS API Reference, the operations that take it; Developer
 * Guide "Testing your permissions"): every check of the call runs, nothing
 * changes, and a call that would have succeeded fails with
 * DryRunOperationException (core/service/dry-run.ts).
 */
export const DryRun = z.boolean().meta({ description: 'Checks whether the call would succeed (permissions, key state, input) without doing it: DryRunOperationException if it would.' });

/** Grant tokens (up to 10) let a grant be used before it is visible everywhere; here grants apply at once, so a token is only checked to name a live grant. */
export const GrantTokens = z.array(z.string().min(1).max(8192)).max(10).meta({ description: 'Grant tokens from CreateGrant.' });

/**
 * Passphrases never come from a command-line flag: adapters fill fields
 * marked `passphrase: 'new'` from STRONGROOM_NEW_PASSPHRASE or a prompt, and
 * `passphrase: 'current'` from the caller's sign-in passphrase.
 */
export const NewPassphrase = z.string().min(1).max(1024).meta({ passphrase: 'new', description: 'A new passphrase (from STRONGROOM_NEW_PASSPHRASE or a prompt).' });
export const CurrentPassphrase = z.string().min(1).max(1024).meta({ passphrase: 'current', description: 'The current passphrase (the one used to sign in).' });

/** IAM names (IAM API Reference, CreateUser UserName): 1–64 of letters, digits and +=,.@_- */
export const IamName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, 'must be 1–64 letters, digits or + = , . @ _ -')
  .meta({ description: 'A user or group name.' });
