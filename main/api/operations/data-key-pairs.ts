// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext (AWS KMS API
// Reference): a fresh asymmetric key pair for use outside the vault, its
// private key (PKCS#8 DER) encrypted under a symmetric encryption key. The
// KMS rules on key usage do not apply to data key pairs.
import { z } from 'zod';
import { DATA_KEY_PAIR_SPECS } from '../enums.js';
import { operation } from '../operation.js';
import { Bytes, DryRun, EncryptionContext, GrantTokens, KeyId, KeyMaterialId } from '../fields.js';

const DataKeyPairInput = z
  .object({
    EncryptionContext: EncryptionContext.optional(),
    KeyId,
    KeyPairSpec: z.enum(DATA_KEY_PAIR_SPECS).meta({ description: 'RSA_2048 | RSA_3072 | RSA_4096 | ECC_NIST_P256 | ECC_NIST_P384 | ECC_NIST_P521 | ECC_SECG_P256K1' }),
    GrantTokens: GrantTokens.optional(),
    DryRun: DryRun.optional(),
  })
  .strict();


export const GenerateDataKeyPair = operation({
  name: 'GenerateDataKeyPair',
  action: 'kms:GenerateDataKeyPair',
  summary: 'Returns a fresh asymmetric data key pair: the public key, the private key in plaintext and encrypted under a symmetric key.',
  input: () => DataKeyPairInput,
  output: () => z.object({ PrivateKeyCiphertextBlob: Bytes, PrivateKeyPlaintext: Bytes, PublicKey: Bytes, KeyId: z.string(), KeyPairSpec: z.string(), KeyMaterialId }),
});

export const GenerateDataKeyPairWithoutPlaintext = operation({
  name: 'GenerateDataKeyPairWithoutPlaintext',
  action: 'kms:GenerateDataKeyPairWithoutPlaintext',
  summary: 'Returns a fresh asymmetric data key pair: the public key and the private key encrypted under a symmetric key.',
  input: () => DataKeyPairInput,
  output: () => z.object({ PrivateKeyCiphertextBlob: Bytes, PublicKey: Bytes, KeyId: z.string(), KeyPairSpec: z.string(), KeyMaterialId }),
});
