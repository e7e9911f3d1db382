// GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial (AWS
// KMS API Reference): bring-your-own-key for keys created with Origin
// EXTERNAL, wrapped exactly as AWS's import documentation shows (so the
// same openssl commands work), with AWS's expiration model.
import { z } from 'zod';
import { WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS } from '../enums.js';
import { operation } from '../operation.js';
import { blob, Bytes, KeyId, KeyMaterialId } from '../fields.js';

const ImportKeyId = KeyId.meta({ description: 'Key id or key ARN of a key with Origin EXTERNAL.' });




export const GetParametersForImport = operation({
  name: 'GetParametersForImport',
  action: 'kms:GetParametersForImport',
  summary: 'Returns an RSA public key to wrap key material under and an import token, both valid for 24 hours (keys with Origin EXTERNAL).',
  input: () => z
    .object({
      KeyId: ImportKeyId,
      WrappingAlgorithm: z.enum(WRAPPING_ALGORITHMS).meta({ description: 'RSAES_OAEP_SHA_256 | RSAES_OAEP_SHA_1 | RSA_AES_KEY_WRAP_SHA_256 | RSA_AES_KEY_WRAP_SHA_1' }),
      WrappingKeySpec: z.enum(WRAPPING_KEY_SPECS).meta({ description: 'RSA_2048 | RSA_3072 | RSA_4096' }),
    })
    .strict(),
  output: () => z.object({ KeyId: z.string(), ImportToken: Bytes, PublicKey: Bytes, ParametersValidTo: z.date() }),
});

export const ImportKeyMaterial = operation({
  name: 'ImportKeyMaterial',
  action: 'kms:ImportKeyMaterial',
  summary: 'Imports (or re-imports the same) key material, wrapped under GetParametersForImport\'s public key, into a key with Origin EXTERNAL.',
  input: () => z
    .object({
      KeyId: ImportKeyId,
      ImportToken: blob('The ImportToken from the same GetParametersForImport response as the public key used to wrap the material.', 6144),
      EncryptedKeyMaterial: blob('The key material wrapped with that public key and wrapping algorithm.', 6144),
      ValidTo: z.date().optional().meta({ description: 'When the material expires (required with KEY_MATERIAL_EXPIRES, at most 365 days ahead).' }),
      ExpirationModel: z.enum(['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE']).optional().meta({ description: 'KEY_MATERIAL_EXPIRES (default) or KEY_MATERIAL_DOES_NOT_EXPIRE.' }),
    })
    .strict(),
  // KeyMaterialId: symmetric encryption keys only; the same material imported again has the same id
  output: () => z.object({ KeyId: z.string(), KeyMaterialId: KeyMaterialId.optional() }),
});


export const DeleteImportedKeyMaterial = operation({
  name: 'DeleteImportedKeyMaterial',
  action: 'kms:DeleteImportedKeyMaterial',
  summary: 'Deletes the imported key material of a key with Origin EXTERNAL; the key is unusable (PendingImport) until the same material is imported again.',
  input: () => z.object({ KeyId: ImportKeyId }).strict(),
  // KeyMaterialId: the material deleted, symmetric encryption keys only
  output: () => z.object({ KeyId: z.string(), KeyMaterialId: KeyMaterialId.optional() }),
});
