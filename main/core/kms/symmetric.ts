// Encrypt and decrypt under a SYMMETRIC_DEFAULT key: AES-256-GCM with the
// blob header and the canonical encryption context as associated data
// (ciphertext-blob.ts). Decrypt never returns plaintext that failed
// authentication; every failure is InvalidCiphertextException.
import { keyArn } from '../codecs/arn.js';
import { decrypt, encrypt, NONCE_LENGTH } from '../crypto/aes-gcm.js';
import { randomNonce } from '../crypto/nonce.js';
import { encodeHeader, parseBlob } from '../codecs/ciphertext-blob.js';
import { encryptionContextKeys } from '../policy/authorize.js';
import type { OpContext } from '../service/context.js';
import { canonicalContext, type EncryptionContext } from '../codecs/encryption-context.js';
import { invalidCiphertext, isKmsError, KmsError } from '../errors.js';
import { requireUsable } from './key-state.js';
import type { KeyRecord } from '../model.js';

export function requireEncryptDecrypt(key: KeyRecord): void {
  if (key.keyUsage !== 'ENCRYPT_DECRYPT') {
    throw new KmsError('InvalidKeyUsageException', `${keyArn(key)} has KeyUsage ${key.keyUsage}; this operation needs an ENCRYPT_DECRYPT key.`);
  }
}

/** InvalidKeyUsageException unless the key is a SYMMETRIC_DEFAULT key (an RSA ENCRYPT_DECRYPT key cannot seal blobs or data keys). */
export function requireSymmetricKey(key: KeyRecord): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsageException', `${keyArn(key)} is a ${key.keySpec} key; this operation needs a symmetric encryption key (SYMMETRIC_DEFAULT).`);
  }
}

export function checkAlgorithm(alg: string | undefined, key: KeyRecord): void {
  if (alg !== undefined && alg !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsageException', `${keyArn(key)} supports only the SYMMETRIC_DEFAULT encryption algorithm, not ${alg}.`);
  }
}

/**
 * Encrypts under the key's current material version; returns the blob and
 * that material's KeyMaterialId. The caller has checked state and usage.
 */
export async function sealWithKey(
  ctx: OpContext,
  key: KeyRecord,
  plaintext: Uint8Array,
  ec: EncryptionContext | undefined,
): Promise<{ ciphertext: Buffer; materialId: string }> {
  requireSymmetricKey(key);
  const aad = canonicalContext(ec);
  const material = await ctx.repo.material(key.account, key.keyId, key.currentVersion);
  if (!material) throw new KmsError('KMSInternalException', `Key ${key.keyId} has no material version ${key.currentVersion}.`);
  const k = ctx.materials.open(await ctx.tenant(), key, material);
  const nonce = randomNonce(NONCE_LENGTH);
  const header = encodeHeader(key.keyId, key.currentVersion, nonce);
  return { ciphertext: Buffer.concat([header, encrypt(k, nonce, plaintext, Buffer.concat([header, aad]))]), materialId: material.materialId };
}

/**
 * Finds the key named by the blob (checking it against KeyId when given, as
 * AWS does: a mismatch is IncorrectKeyException), authorizes `action` on
 * it, and opens the blob. `materialId` is the KeyMaterialId of the material
 * version the blob names: the one that made it, however often the key has
 * rotated since.
 */
export async function openBlob(
  ctx: OpContext,
  blob: Uint8Array,
  ec: EncryptionContext | undefined,
  keyIdArg: string | undefined,
  action: string,
): Promise<{ key: KeyRecord; plaintext: Buffer; materialId: string }> {
  const parsed = parseBlob(blob);
  const aad = canonicalContext(ec);
  const context = { ...encryptionContextKeys(ec), 'kms:encryptionalgorithm': 'SYMMETRIC_DEFAULT' };
  let key: KeyRecord;
  if (keyIdArg !== undefined) {
    key = await ctx.key(keyIdArg, { action, context });
    if (key.keyId !== parsed.keyId) {
      throw new KmsError('IncorrectKeyException', `The ciphertext was not encrypted under ${keyArn(key)}; omit KeyId or pass the key the ciphertext names.`);
    }
  } else {
    try {
      key = await ctx.key(parsed.keyId, { action, context });
    } catch (e) {
      if (isKmsError(e) && e.name === 'NotFoundException') {
        throw invalidCiphertext('The ciphertext names a key that does not exist in this account and region (it may have been deleted), or the ciphertext is corrupted.');
      }
      throw e;
    }
  }
  requireEncryptDecrypt(key);
  requireSymmetricKey(key);
  requireUsable(key);
  const material = await ctx.repo.material(key.account, key.keyId, parsed.version);
  if (!material) throw invalidCiphertext('The ciphertext is corrupted or names a key material version this key does not have.');
  const k = ctx.materials.open(await ctx.tenant(), key, material);
  const plaintext = decrypt(k, parsed.nonce, parsed.sealed, Buffer.concat([parsed.header, aad]));
  if (!plaintext) {
    throw invalidCiphertext('The ciphertext failed authentication: it was altered, or the EncryptionContext differs from the one used to encrypt it.');
  }
  return { key, plaintext, materialId: material.materialId };
}
