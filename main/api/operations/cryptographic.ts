// Encrypt, Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext,
// GenerateRandom (AWS KMS API Reference). Plaintext is 1 byte to 4 MiB here
// (AWS allows 4 KiB; a local vault can afford more).
import { z } from 'zod';
import { CIPHERTEXT_BLOB_OVERHEAD, MAX_PLAINTEXT } from '../limits.js';
import { operation } from '../operation.js';
import { ENCRYPTION_ALGORITHMS } from '../enums.js';
import { blob, Bytes, DryRun, EncryptionContext, GrantTokens, KeyId, KeyMaterialId } from '../fields.js';

const CiphertextBlob = blob('A ciphertext blob from Encrypt, ReEncrypt or GenerateDataKey.', MAX_PLAINTEXT + CIPHERTEXT_BLOB_OVERHEAD);
const EncryptionAlgorithm = z
  .enum(ENCRYPTION_ALGORITHMS)
  .meta({ description: 'SYMMETRIC_DEFAULT (AES-256-GCM, the default) or, for RSA keys, RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1.' });

export const Encrypt = operation({
  name: 'Encrypt',
  action: 'kms:Encrypt',
  summary: 'Encrypts up to 4 MiB of plaintext under a key.',
  input: () => z
    .object({
      KeyId,
      Plaintext: blob('The data to encrypt, 1 byte to 4 MiB.', MAX_PLAINTEXT),
      EncryptionContext: EncryptionContext.optional(),
      EncryptionAlgorithm: EncryptionAlgorithm.optional(),
      GrantTokens: GrantTokens.optional(),
      DryRun: DryRun.optional(),
    })
    .strict(),
  output: () => z.object({ CiphertextBlob: Bytes, KeyId: z.string(), EncryptionAlgorithm: EncryptionAlgorithm }),
});

export const Decrypt = operation({
  name: 'Decrypt',
  action: 'kms:Decrypt',
  summary: 'Decrypts a ciphertext blob; the key is found from the blob.',
  input: () => z
    .object({
      CiphertextBlob,
      EncryptionContext: EncryptionContext.optional(),
      KeyId: KeyId.optional(),
      EncryptionAlgorithm: EncryptionAlgorithm.optional(),
      GrantTokens: GrantTokens.optional(),
      DryRun: DryRun.optional(),
    })
    .strict(),
  // KeyMaterialId: the material that made the ciphertext; symmetric keys only (AWS DecryptResponse)
  output: () => z.object({ KeyId: z.string(), Plaintext: Bytes, EncryptionAlgorithm: EncryptionAlgorithm, KeyMaterialId: KeyMaterialId.optional() }),
});

export const ReEncrypt = operation({
  name: 'ReEncrypt',
  action: 'kms:ReEncryptFrom',
  summary: 'Decrypts a ciphertext and encrypts it again under another (or the same) key, without exposing the plaintext.',
  input: () => z
    .object({
      CiphertextBlob,
      SourceEncryptionContext: EncryptionContext.optional(),
      SourceKeyId: KeyId.optional(),
      DestinationKeyId: KeyId,
      DestinationEncryptionContext: EncryptionContext.optional(),
      SourceEncryptionAlgorithm: EncryptionAlgorithm.optional(),
      DestinationEncryptionAlgorithm: EncryptionAlgorithm.optional(),
      GrantTokens: GrantTokens.optional(),
      DryRun: DryRun.optional(),
    })
    .strict(),
  output: () => z.object({
    CiphertextBlob: Bytes,
    SourceKeyId: z.string(),
    KeyId: z.string(),
    SourceEncryptionAlgorithm: EncryptionAlgorithm,
    DestinationEncryptionAlgorithm: EncryptionAlgorithm,
    /** the material that made the ciphertext given; symmetric source keys only */
    SourceKeyMaterialId: KeyMaterialId.optional(),
    /** the material the new ciphertext is made with; symmetric destination keys only */
    DestinationKeyMaterialId: KeyMaterialId.optional(),
  }),
});

const DataKeyInput = z
  .object({
    KeyId,
    EncryptionContext: EncryptionContext.optional(),
    NumberOfBytes: z.number().int().min(1).max(1024).optional().meta({ description: 'Data key length in bytes, 1–1024.' }),
    KeySpec: z.enum(['AES_128', 'AES_256']).optional().meta({ description: 'AES_128 or AES_256.' }),
    GrantTokens: GrantTokens.optional(),
    DryRun: DryRun.optional(),
  })
  .strict();


export const GenerateDataKey = operation({
  name: 'GenerateDataKey',
  action: 'kms:GenerateDataKey',
  summary: 'Returns a fresh data key in plaintext and encrypted under a key, for envelope encryption.',
  input: () => DataKeyInput,
  output: () => z.object({ CiphertextBlob: Bytes, Plaintext: Bytes, KeyId: z.string(), KeyMaterialId }),
});

export const GenerateDataKeyWithoutPlaintext = operation({
  name: 'GenerateDataKeyWithoutPlaintext',
  action: 'kms:GenerateDataKeyWithoutPlaintext',
  summary: 'Returns a fresh data key encrypted under a key, without its plaintext.',
  input: () => DataKeyInput,
  output: () => z.object({ CiphertextBlob: Bytes, KeyId: z.string(), KeyMaterialId }),
});

export const GenerateRandom = operation({
  name: 'GenerateRandom',
  action: 'kms:GenerateRandom',
  summary: 'Returns 1–1024 random bytes from the operating system\'s CSPRNG.',
  input: () => z.object({ NumberOfBytes: z.number().int().min(1).max(1024).meta({ description: 'How many bytes, 1–1024.' }) }).strict(),
  output: () => z.object({ Plaintext: Bytes }),
});

