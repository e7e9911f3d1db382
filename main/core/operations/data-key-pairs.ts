// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext (AWS KMS API
// Reference): a fresh asymmetric key pair for use outside the vault, its
// private key (PKCS#8 DER) encrypted under a symmetric encryption key. The
// KMS rules on key usage do not apply to data key pairs.
import { z } from 'zod';
import { keyArn } from '../arn.js';
import { generateKeyPairFor } from '../asymmetric/index.js';
import { encryptionContextKeys } from '../authorize.js';
import type { OpContext } from '../context.js';
import { requireUsable } from '../key-state.js';
import { DATA_KEY_PAIR_SPECS, type DataKeyPairSpec } from '../../api/enums.js';
import { defineOperation } from '../operation.js';
import { requireEncryptDecrypt, requireSymmetricKey, sealWithKey } from '../symmetric.js';
import { Bytes, EncryptionContext, GrantTokens, KeyId } from '../../api/fields.js';

const DataKeyPairInput = z
  .object({
    EncryptionContext: EncryptionContext.optional(),
    KeyId,
    KeyPairSpec: z.enum(DATA_KEY_PAIR_SPECS).meta({ description: 'RSA_2048 | RSA_3072 | RSA_4096 | ECC_NIST_P256 | ECC_NIST_P384 | ECC_NIST_P521 | ECC_SECG_P256K1' }),
    GrantTokens: GrantTokens.optional(),
  })
  .strict();

async function newDataKeyPair(ctx: OpContext, input: z.output<typeof DataKeyPairInput>) {
  const key = await ctx.key(input.KeyId, {
    context: { ...encryptionContextKeys(input.EncryptionContext), 'kms:encryptionalgorithm': 'SYMMETRIC_DEFAULT', 'kms:datakeypairspec': input.KeyPairSpec },
  });
  requireEncryptDecrypt(key);
  requireSymmetricKey(key);
  requireUsable(key);
  const pair = await generateKeyPairFor(input.KeyPairSpec);
  const ciphertext = await sealWithKey(ctx, key, pair.pkcs8, input.EncryptionContext);
  return { key, pair, ciphertext, spec: input.KeyPairSpec as DataKeyPairSpec };
}

export const GenerateDataKeyPair = defineOperation({
  name: 'GenerateDataKeyPair',
  action: 'kms:GenerateDataKeyPair',
  summary: 'Returns a fresh asymmetric data key pair: the public key, the private key in plaintext and encrypted under a symmetric key.',
  input: DataKeyPairInput,
  output: z.object({ PrivateKeyCiphertextBlob: Bytes, PrivateKeyPlaintext: Bytes, PublicKey: Bytes, KeyId: z.string(), KeyPairSpec: z.string() }),
  async handler(ctx, input) {
    const { key, pair, ciphertext, spec } = await newDataKeyPair(ctx, input);
    return { PrivateKeyCiphertextBlob: ciphertext, PrivateKeyPlaintext: pair.pkcs8, PublicKey: pair.spki, KeyId: keyArn(key, key.keyId), KeyPairSpec: spec };
  },
});

export const GenerateDataKeyPairWithoutPlaintext = defineOperation({
  name: 'GenerateDataKeyPairWithoutPlaintext',
  action: 'kms:GenerateDataKeyPairWithoutPlaintext',
  summary: 'Returns a fresh asymmetric data key pair: the public key and the private key encrypted under a symmetric key.',
  input: DataKeyPairInput,
  output: z.object({ PrivateKeyCiphertextBlob: Bytes, PublicKey: Bytes, KeyId: z.string(), KeyPairSpec: z.string() }),
  async handler(ctx, input) {
    const { key, pair, ciphertext, spec } = await newDataKeyPair(ctx, input);
    pair.pkcs8.fill(0);
    return { PrivateKeyCiphertextBlob: ciphertext, PublicKey: pair.spki, KeyId: keyArn(key, key.keyId), KeyPairSpec: spec };
  },
});
