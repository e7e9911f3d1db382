// Encrypt, Decrypt and ReEncrypt with RSA ENCRYPT_DECRYPT keys (AWS KMS API
// Reference): RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256, the ciphertext being
// the raw OAEP ciphertext (as long as the modulus) with no header, so it is
// what `openssl pkeyutl -encrypt` makes with the exported public key.
// Decrypting it therefore needs the KeyId and the EncryptionAlgorithm, as in
// AWS. An encryption context is not supported with asymmetric keys.
import { keyArn } from '../codecs/arn.js';
import { openAsymmetric } from './asymmetric/vault-key.js';
import type { OpContext } from '../service/context.js';
import type { EncryptionContext } from '../codecs/encryption-context.js';
import { invalidCiphertext, KmsError, validation } from '../errors.js';
import { requireUsable } from './key-state.js';
import { oaepMaxPlaintext, requireAlgorithm } from './key-specs.js';
import { type RsaEncryptionAlgorithm } from '../../api/enums.js';
import type { KeyRecord } from '../model.js';
import { requireEncryptDecrypt } from './symmetric.js';

export const isRsaEncryptionAlgorithm = (alg: string | undefined): alg is RsaEncryptionAlgorithm => alg === 'RSAES_OAEP_SHA_1' || alg === 'RSAES_OAEP_SHA_256';

function checkRsaRequest(key: KeyRecord, alg: string | undefined, ec: EncryptionContext | undefined): RsaEncryptionAlgorithm {
  if (!isRsaEncryptionAlgorithm(alg)) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `${keyArn(key)} is an ${key.keySpec} key: pass EncryptionAlgorithm RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1${alg ? `, not ${alg}` : ''}.`,
    );
  }
  requireAlgorithm(key, alg, 'encryption');
  if (ec && Object.keys(ec).length > 0) {
    throw validation('An EncryptionContext is not supported with asymmetric keys (RSA OAEP has no associated data); omit it.');
  }
  return alg;
}

/** Encrypts under an RSA key the caller resolved, authorized and found usable. */
export async function rsaEncryptWithKey(
  ctx: OpContext,
  key: KeyRecord,
  algorithm: string | undefined,
  plaintext: Uint8Array,
  ec: EncryptionContext | undefined,
): Promise<{ ciphertext: Buffer; algorithm: RsaEncryptionAlgorithm }> {
  const alg = checkRsaRequest(key, algorithm, ec);
  const max = oaepMaxPlaintext(key.keySpec, alg);
  if (plaintext.length > max) {
    throw validation(`Plaintext is ${plaintext.length} bytes; ${alg} with an ${key.keySpec} key encrypts at most ${max} bytes. Encrypt a data key instead (envelope encryption).`);
  }
  const opened = await openAsymmetric(ctx, key);
  return { ciphertext: opened.encrypt(alg, plaintext), algorithm: alg };
}

/**
 * Decrypts a raw OAEP ciphertext: resolves KeyId (required) and authorizes
 * `action` on it, checks usage, algorithm and state, decrypts.
 */
export async function rsaDecryptWithKeyId(
  ctx: OpContext,
  keyIdArg: string | undefined,
  algorithm: RsaEncryptionAlgorithm,
  ciphertext: Uint8Array,
  ec: EncryptionContext | undefined,
  action: string,
): Promise<{ key: KeyRecord; plaintext: Buffer }> {
  if (keyIdArg === undefined) {
    throw validation(`Decrypting with ${algorithm} needs the KeyId of the asymmetric key: an RSA ciphertext does not name its key.`);
  }
  const key = await ctx.key(keyIdArg, { action, context: { 'kms:encryptionalgorithm': algorithm } });
  requireEncryptDecrypt(key);
  if (key.keySpec === 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsageException', `${keyArn(key)} is a symmetric key; it supports only the SYMMETRIC_DEFAULT encryption algorithm, not ${algorithm}.`);
  }
  checkRsaRequest(key, algorithm, ec);
  requireUsable(key);
  const opened = await openAsymmetric(ctx, key);
  const plaintext = opened.decrypt(algorithm, ciphertext);
  if (!plaintext) {
    throw invalidCiphertext(`The ciphertext does not decrypt with ${keyArn(key)} and ${algorithm}: it was encrypted under another key or algorithm, or it is corrupted.`);
  }
  return { key, plaintext };
}
