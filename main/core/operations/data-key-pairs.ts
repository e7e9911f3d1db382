// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext (AWS KMS API
// Reference): a fresh asymmetric key pair for use outside the vault, its
// private key (PKCS#8 DER) encrypted under a symmetric encryption key. The
// KMS rules on key usage do not apply to data key pairs.
import { keyArn } from '../codecs/arn.js';
import { generateKeyPairFor } from '../kms/asymmetric/index.js';
import { encryptionContextKeys } from '../policy/authorize.js';
import type { OpContext } from '../service/context.js';
import { requireUsable } from '../kms/key-state.js';
import { type DataKeyPairSpec } from '../../api/enums.js';
import { requireEncryptDecrypt, requireSymmetricKey, sealWithKey } from '../kms/symmetric.js';
import type { Handler } from '../service/operation.js';

/** GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext take the same input. */
async function newDataKeyPair(ctx: OpContext, input: Parameters<Handler<'GenerateDataKeyPair'>>[1]) {
  const key = await ctx.key(input.KeyId, {
    context: { ...encryptionContextKeys(input.EncryptionContext), 'kms:encryptionalgorithm': 'SYMMETRIC_DEFAULT', 'kms:datakeypairspec': input.KeyPairSpec },
  });
  requireEncryptDecrypt(key);
  requireSymmetricKey(key);
  requireUsable(key);
  const pair = await generateKeyPairFor(input.KeyPairSpec);
  const { ciphertext, materialId } = await sealWithKey(ctx, key, pair.pkcs8, input.EncryptionContext);
  return { key, pair, ciphertext, materialId, spec: input.KeyPairSpec as DataKeyPairSpec };
}

export const GenerateDataKeyPair: Handler<'GenerateDataKeyPair'> = async (ctx, input) => {
  const { key, pair, ciphertext, materialId, spec } = await newDataKeyPair(ctx, input);
  return { PrivateKeyCiphertextBlob: ciphertext, PrivateKeyPlaintext: pair.pkcs8, PublicKey: pair.spki, KeyId: keyArn(key), KeyPairSpec: spec, KeyMaterialId: materialId };
};

export const GenerateDataKeyPairWithoutPlaintext: Handler<'GenerateDataKeyPairWithoutPlaintext'> = async (ctx, input) => {
  const { key, pair, ciphertext, materialId, spec } = await newDataKeyPair(ctx, input);
  pair.pkcs8.fill(0);
  return { PrivateKeyCiphertextBlob: ciphertext, PublicKey: pair.spki, KeyId: keyArn(key), KeyPairSpec: spec, KeyMaterialId: materialId };
};
