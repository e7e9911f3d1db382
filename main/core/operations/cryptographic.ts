// Encrypt, Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext,
// GenerateRandom (AWS KMS API Reference). Plaintext is 1 byte to 4 MiB here
// (AWS allows 4 KiB; a local vault can afford more).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { keyArn } from '../arn.js';
import { BLOB_OVERHEAD } from '../ciphertext-blob.js';
import { validation } from '../errors.js';
import { requireUsable } from '../key-state.js';
import { defineOperation } from '../operation.js';
import { encryptionContextKeys } from '../authorize.js';
import type { OpContext } from '../context.js';
import { checkAlgorithm, openBlob, requireEncryptDecrypt, sealWithKey } from '../symmetric.js';
import { ENCRYPTION_ALGORITHMS } from '../../api/enums.js';
import { isRsaEncryptionAlgorithm, rsaDecryptWithKeyId, rsaEncryptWithKey } from '../rsa-encryption.js';
import { blob, Bytes, EncryptionContext, GrantTokens, KeyId } from '../../api/fields.js';

export const MAX_PLAINTEXT = 4 * 1024 * 1024;
const CiphertextBlob = blob('A ciphertext blob from Encrypt, ReEncrypt or GenerateDataKey.', MAX_PLAINTEXT + BLOB_OVERHEAD);
const EncryptionAlgorithm = z
  .enum(ENCRYPTION_ALGORITHMS)
  .meta({ description: 'SYMMETRIC_DEFAULT (AES-256-GCM, the default) or, for RSA keys, RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1.' });

export const Encrypt = defineOperation({
  name: 'Encrypt',
  action: 'kms:Encrypt',
  summary: 'Encrypts up to 4 MiB of plaintext under a key.',
  input: z
    .object({
      KeyId,
      Plaintext: blob('The data to encrypt, 1 byte to 4 MiB.', MAX_PLAINTEXT),
      EncryptionContext: EncryptionContext.optional(),
      EncryptionAlgorithm: EncryptionAlgorithm.optional(),
      GrantTokens: GrantTokens.optional(),
    })
    .strict(),
  output: z.object({ CiphertextBlob: Bytes, KeyId: z.string(), EncryptionAlgorithm: z.string() }),
  async handler(ctx, input) {
    const key = await usableKey(ctx, input.KeyId, undefined, input.EncryptionContext, input.EncryptionAlgorithm);
    if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
      const { ciphertext, algorithm } = await rsaEncryptWithKey(ctx, key, input.EncryptionAlgorithm, input.Plaintext, input.EncryptionContext);
      return { CiphertextBlob: ciphertext, KeyId: keyArn(key, key.keyId), EncryptionAlgorithm: algorithm };
    }
    checkAlgorithm(input.EncryptionAlgorithm, key);
    const ct = await sealWithKey(ctx, key, input.Plaintext, input.EncryptionContext);
    return { CiphertextBlob: ct, KeyId: keyArn(key, key.keyId), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
});

export const Decrypt = defineOperation({
  name: 'Decrypt',
  action: 'kms:Decrypt',
  summary: 'Decrypts a ciphertext blob; the key is found from the blob.',
  input: z
    .object({
      CiphertextBlob,
      EncryptionContext: EncryptionContext.optional(),
      KeyId: KeyId.optional(),
      EncryptionAlgorithm: EncryptionAlgorithm.optional(),
      GrantTokens: GrantTokens.optional(),
    })
    .strict(),
  output: z.object({ KeyId: z.string(), Plaintext: Bytes, EncryptionAlgorithm: z.string() }),
  async handler(ctx, input) {
    if (isRsaEncryptionAlgorithm(input.EncryptionAlgorithm)) {
      const alg = input.EncryptionAlgorithm;
      const { key, plaintext } = await rsaDecryptWithKeyId(ctx, input.KeyId, alg, input.CiphertextBlob, input.EncryptionContext, ctx.action);
      return { KeyId: keyArn(key, key.keyId), Plaintext: plaintext, EncryptionAlgorithm: alg };
    }
    const { key, plaintext } = await openBlob(ctx, input.CiphertextBlob, input.EncryptionContext, input.KeyId, ctx.action);
    return { KeyId: keyArn(key, key.keyId), Plaintext: plaintext, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
});

export const ReEncrypt = defineOperation({
  name: 'ReEncrypt',
  action: 'kms:ReEncryptFrom',
  summary: 'Decrypts a ciphertext and encrypts it again under another (or the same) key, without exposing the plaintext.',
  input: z
    .object({
      CiphertextBlob,
      SourceEncryptionContext: EncryptionContext.optional(),
      SourceKeyId: KeyId.optional(),
      DestinationKeyId: KeyId,
      DestinationEncryptionContext: EncryptionContext.optional(),
      SourceEncryptionAlgorithm: EncryptionAlgorithm.optional(),
      DestinationEncryptionAlgorithm: EncryptionAlgorithm.optional(),
      GrantTokens: GrantTokens.optional(),
    })
    .strict(),
  output: z.object({
    CiphertextBlob: Bytes,
    SourceKeyId: z.string(),
    KeyId: z.string(),
    SourceEncryptionAlgorithm: z.string(),
    DestinationEncryptionAlgorithm: z.string(),
  }),
  async handler(ctx, input) {
    const dest = await usableKey(ctx, input.DestinationKeyId, 'kms:ReEncryptTo', input.DestinationEncryptionContext, input.DestinationEncryptionAlgorithm);
    if (dest.keySpec === 'SYMMETRIC_DEFAULT') checkAlgorithm(input.DestinationEncryptionAlgorithm, dest);
    const sourceAlg = isRsaEncryptionAlgorithm(input.SourceEncryptionAlgorithm) ? input.SourceEncryptionAlgorithm : 'SYMMETRIC_DEFAULT';
    const { key: source, plaintext } =
      sourceAlg === 'SYMMETRIC_DEFAULT'
        ? await openBlob(ctx, input.CiphertextBlob, input.SourceEncryptionContext, input.SourceKeyId, 'kms:ReEncryptFrom')
        : await rsaDecryptWithKeyId(ctx, input.SourceKeyId, sourceAlg, input.CiphertextBlob, input.SourceEncryptionContext, 'kms:ReEncryptFrom');
    try {
      const { ciphertext: ct, algorithm: destAlg } =
        dest.keySpec === 'SYMMETRIC_DEFAULT'
          ? { ciphertext: await sealWithKey(ctx, dest, plaintext, input.DestinationEncryptionContext), algorithm: 'SYMMETRIC_DEFAULT' }
          : await rsaEncryptWithKey(ctx, dest, input.DestinationEncryptionAlgorithm, plaintext, input.DestinationEncryptionContext);
      return {
        CiphertextBlob: ct,
        SourceKeyId: keyArn(source, source.keyId),
        KeyId: keyArn(dest, dest.keyId),
        SourceEncryptionAlgorithm: sourceAlg,
        DestinationEncryptionAlgorithm: destAlg,
      };
    } finally {
      plaintext.fill(0);
    }
  },
});

const DataKeyInput = z
  .object({
    KeyId,
    EncryptionContext: EncryptionContext.optional(),
    NumberOfBytes: z.number().int().min(1).max(1024).optional().meta({ description: 'Data key length in bytes, 1–1024.' }),
    KeySpec: z.enum(['AES_128', 'AES_256']).optional().meta({ description: 'AES_128 or AES_256.' }),
    GrantTokens: GrantTokens.optional(),
  })
  .strict();

async function newDataKey(ctx: OpContext, input: z.output<typeof DataKeyInput>) {
  if ((input.NumberOfBytes === undefined) === (input.KeySpec === undefined)) {
    throw validation('Specify exactly one of KeySpec (AES_128 or AES_256) and NumberOfBytes (1–1024).');
  }
  const key = await usableKey(ctx, input.KeyId, undefined, input.EncryptionContext);
  const plaintext = randomBytes(input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32));
  const ct = await sealWithKey(ctx, key, plaintext, input.EncryptionContext);
  return { key, plaintext, ct };
}

export const GenerateDataKey = defineOperation({
  name: 'GenerateDataKey',
  action: 'kms:GenerateDataKey',
  summary: 'Returns a fresh data key in plaintext and encrypted under a key, for envelope encryption.',
  input: DataKeyInput,
  output: z.object({ CiphertextBlob: Bytes, Plaintext: Bytes, KeyId: z.string() }),
  async handler(ctx, input) {
    const { key, plaintext, ct } = await newDataKey(ctx, input);
    return { CiphertextBlob: ct, Plaintext: plaintext, KeyId: keyArn(key, key.keyId) };
  },
});

export const GenerateDataKeyWithoutPlaintext = defineOperation({
  name: 'GenerateDataKeyWithoutPlaintext',
  action: 'kms:GenerateDataKeyWithoutPlaintext',
  summary: 'Returns a fresh data key encrypted under a key, without its plaintext.',
  input: DataKeyInput,
  output: z.object({ CiphertextBlob: Bytes, KeyId: z.string() }),
  async handler(ctx, input) {
    const { key, plaintext, ct } = await newDataKey(ctx, input);
    plaintext.fill(0);
    return { CiphertextBlob: ct, KeyId: keyArn(key, key.keyId) };
  },
});

export const GenerateRandom = defineOperation({
  name: 'GenerateRandom',
  action: 'kms:GenerateRandom',
  summary: 'Returns 1–1024 random bytes from the operating system\'s CSPRNG.',
  input: z.object({ NumberOfBytes: z.number().int().min(1).max(1024).meta({ description: 'How many bytes, 1–1024.' }) }).strict(),
  output: z.object({ Plaintext: Bytes }),
  async handler(ctx, input) {
    await ctx.authorize();
    return { Plaintext: randomBytes(input.NumberOfBytes) };
  },
});

async function usableKey(ctx: OpContext, ref: string, action: string | undefined, ec: Record<string, string> | undefined, algorithm = 'SYMMETRIC_DEFAULT') {
  const context = { ...encryptionContextKeys(ec), 'kms:encryptionalgorithm': algorithm };
  const key = await ctx.key(ref, action ? { action, context } : { context });
  requireEncryptDecrypt(key);
  requireUsable(key);
  return key;
}
