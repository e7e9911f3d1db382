// Encrypt, Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext,
// GenerateRandom (AWS KMS API Reference). Plaintext is 1 byte to 4 MiB here
// (AWS allows 4 KiB; a local vault can afford more).
import { randomBytes } from 'node:crypto';
import { keyArn } from '../codecs/arn.js';
import { validation } from '../errors.js';
import { requireUsable } from '../kms/key-state.js';
import { encryptionContextKeys } from '../policy/authorize.js';
import type { OpContext } from '../service/context.js';
import { checkAlgorithm, openBlob, requireEncryptDecrypt, sealWithKey } from '../kms/symmetric.js';
import { isRsaEncryptionAlgorithm, rsaDecryptWithKeyId, rsaEncryptWithKey } from '../kms/rsa-encryption.js';
import type { Handler } from '../service/operation.js';
import type { EncryptionAlgorithm } from '../../api/enums.js';
import type { KeyRecord } from '../model.js';


export const Encrypt: Handler<'Encrypt'> = async (ctx, input) => {
  const key = await usableKey(ctx, input.KeyId, undefined, input.EncryptionContext, input.EncryptionAlgorithm);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    const { ciphertext, algorithm } = await rsaEncryptWithKey(ctx, key, input.EncryptionAlgorithm, input.Plaintext, input.EncryptionContext);
    return { CiphertextBlob: ciphertext, KeyId: keyArn(key), EncryptionAlgorithm: algorithm };
  }
  checkAlgorithm(input.EncryptionAlgorithm, key);
  const { ciphertext } = await sealWithKey(ctx, key, input.Plaintext, input.EncryptionContext);
  return { CiphertextBlob: ciphertext, KeyId: keyArn(key), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
};

export const Decrypt: Handler<'Decrypt'> = async (ctx, input) => {
  if (isRsaEncryptionAlgorithm(input.EncryptionAlgorithm)) {
    const alg = input.EncryptionAlgorithm;
    const { key, plaintext } = await rsaDecryptWithKeyId(ctx, input.KeyId, alg, input.CiphertextBlob, input.EncryptionContext, ctx.action);
    return { KeyId: keyArn(key), Plaintext: plaintext, EncryptionAlgorithm: alg };
  }
  const { key, plaintext, materialId } = await openBlob(ctx, input.CiphertextBlob, input.EncryptionContext, input.KeyId, ctx.action);
  return { KeyId: keyArn(key), Plaintext: plaintext, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyMaterialId: materialId };
};

export const ReEncrypt: Handler<'ReEncrypt'> = async (ctx, input) => {
  const dest = await usableKey(ctx, input.DestinationKeyId, 'kms:ReEncryptTo', input.DestinationEncryptionContext, input.DestinationEncryptionAlgorithm);
  if (dest.keySpec === 'SYMMETRIC_DEFAULT') checkAlgorithm(input.DestinationEncryptionAlgorithm, dest);
  const sourceAlg = isRsaEncryptionAlgorithm(input.SourceEncryptionAlgorithm) ? input.SourceEncryptionAlgorithm : 'SYMMETRIC_DEFAULT';
  // materialId: a symmetric key's only (AWS ReEncryptResponse SourceKeyMaterialId, DestinationKeyMaterialId)
  const opened: { key: KeyRecord; plaintext: Buffer; materialId?: string } =
    sourceAlg === 'SYMMETRIC_DEFAULT'
      ? await openBlob(ctx, input.CiphertextBlob, input.SourceEncryptionContext, input.SourceKeyId, 'kms:ReEncryptFrom')
      : await rsaDecryptWithKeyId(ctx, input.SourceKeyId, sourceAlg, input.CiphertextBlob, input.SourceEncryptionContext, 'kms:ReEncryptFrom');
  const { key: source, plaintext } = opened;
  try {
    const sealed: { ciphertext: Buffer; algorithm: EncryptionAlgorithm; materialId?: string } =
      dest.keySpec === 'SYMMETRIC_DEFAULT'
        ? { ...(await sealWithKey(ctx, dest, plaintext, input.DestinationEncryptionContext)), algorithm: 'SYMMETRIC_DEFAULT' as const }
        : await rsaEncryptWithKey(ctx, dest, input.DestinationEncryptionAlgorithm, plaintext, input.DestinationEncryptionContext);
    return {
      CiphertextBlob: sealed.ciphertext,
      SourceKeyId: keyArn(source),
      KeyId: keyArn(dest),
      SourceEncryptionAlgorithm: sourceAlg,
      DestinationEncryptionAlgorithm: sealed.algorithm,
      ...(opened.materialId !== undefined ? { SourceKeyMaterialId: opened.materialId } : {}),
      ...(sealed.materialId !== undefined ? { DestinationKeyMaterialId: sealed.materialId } : {}),
    };
  } finally {
    plaintext.fill(0);
  }
};

/** GenerateDataKey and GenerateDataKeyWithoutPlaintext take the same input. */
async function newDataKey(ctx: OpContext, input: Parameters<Handler<'GenerateDataKey'>>[1]) {
  if ((input.NumberOfBytes === undefined) === (input.KeySpec === undefined)) {
    throw validation('Specify exactly one of KeySpec (AES_128 or AES_256) and NumberOfBytes (1–1024).');
  }
  const key = await usableKey(ctx, input.KeyId, undefined, input.EncryptionContext);
  const plaintext = randomBytes(input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32));
  const { ciphertext, materialId } = await sealWithKey(ctx, key, plaintext, input.EncryptionContext);
  return { key, plaintext, ciphertext, materialId };
}

export const GenerateDataKey: Handler<'GenerateDataKey'> = async (ctx, input) => {
  const { key, plaintext, ciphertext, materialId } = await newDataKey(ctx, input);
  return { CiphertextBlob: ciphertext, Plaintext: plaintext, KeyId: keyArn(key), KeyMaterialId: materialId };
};

export const GenerateDataKeyWithoutPlaintext: Handler<'GenerateDataKeyWithoutPlaintext'> = async (ctx, input) => {
  const { key, plaintext, ciphertext, materialId } = await newDataKey(ctx, input);
  plaintext.fill(0);
  return { CiphertextBlob: ciphertext, KeyId: keyArn(key), KeyMaterialId: materialId };
};

export const GenerateRandom: Handler<'GenerateRandom'> = async (ctx, input) => {
  await ctx.authorize();
  return { Plaintext: randomBytes(input.NumberOfBytes) };
};

async function usableKey(ctx: OpContext, ref: string, action: string | undefined, ec: Record<string, string> | undefined, algorithm = 'SYMMETRIC_DEFAULT') {
  const context = { ...encryptionContextKeys(ec), 'kms:encryptionalgorithm': algorithm };
  const key = await ctx.key(ref, action ? { action, context } : { context });
  requireEncryptDecrypt(key);
  requireUsable(key);
  return key;
}
