// Unwrapping imported key material (AWS KMS Developer Guide, "Importing key
// material step 3: encrypt the key material"):
//
//   RSAES_OAEP_SHA_1 / _256      the material itself, RSA-OAEP encrypted to the
//                                wrapping public key (hash = MGF1 hash)
//   RSA_AES_KEY_WRAP_SHA_1 / _256  RSA-OAEP(256-bit AES key) ‖ AES-KWP(material)
//                                (RFC 5649, `openssl enc -id-aes256-wrap-pad`),
//                                the first part as long as the RSA modulus
//
// Every failure is InvalidCiphertextException, as AWS reports material it
// cannot decrypt. AES-KWP runs in @noble/ciphers (Electron's BoringSSL has
// no id-aes256-wrap-pad); a vector test cross-checks it with node:crypto.
import type { KeyObject } from 'node:crypto';
import { aeskwp } from '@noble/ciphers/aes.js';
import { rsaDecrypt } from '../asymmetric/rsa.js';
import { invalidCiphertext } from '../../errors.js';
import { type WrappingAlgorithm } from '../../../api/enums.js';

/** RFC 5649 key unwrap; undefined when the integrity check fails or the input is malformed. */
export function aesKwpUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer | undefined {
  if (![16, 24, 32].includes(kek.length)) return undefined;
  try {
    return Buffer.from(aeskwp(kek).decrypt(wrapped));
  } catch {
    return undefined;
  }
}

export function unwrapKeyMaterial(privateKey: KeyObject, alg: WrappingAlgorithm, encrypted: Uint8Array): Buffer {
  const oaep = alg.endsWith('SHA_1') ? 'RSAES_OAEP_SHA_1' : 'RSAES_OAEP_SHA_256';
  const fail = () =>
    invalidCiphertext(`The EncryptedKeyMaterial does not unwrap with ${alg} and this import token's wrapping key: wrap it with the PublicKey and WrappingAlgorithm of the same GetParametersForImport call.`);
  if (alg.startsWith('RSAES_OAEP')) {
    const material = rsaDecrypt(privateKey, oaep, encrypted);
    if (!material) throw fail();
    return material;
  }
  const k = Math.ceil(privateKey.asymmetricKeyDetails!.modulusLength! / 8);
  if (encrypted.length <= k) throw fail();
  const aesKey = rsaDecrypt(privateKey, oaep, encrypted.subarray(0, k));
  if (!aesKey) throw fail();
  try {
    if (aesKey.length !== 32) throw invalidCiphertext(`The wrapped AES key is ${aesKey.length} bytes; ${alg} uses a 256-bit (32-byte) AES key.`);
    const material = aesKwpUnwrap(aesKey, encrypted.subarray(k));
    if (!material) throw fail();
    return material;
  } finally {
    aesKey.fill(0);
  }
}
