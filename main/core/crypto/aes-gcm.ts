// AES-256-GCM (NIST SP 800-38D) through node:crypto: 96-bit nonces, 128-bit
// tags. The one AEAD the vault uses for wrapping key material, tenant keys
// and ciphertext blobs. Tested against Wycheproof aes_gcm_test.json.
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { randomNonce } from './nonce.js';

const KEY_LENGTH = 32;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;

type AesKey = KeyObject | Uint8Array;

function checkKey(key: AesKey): void {
  const len = key instanceof Uint8Array ? key.length : key.symmetricKeySize;
  if (len !== KEY_LENGTH) throw new RangeError(`expected AES key of length ${KEY_LENGTH}, got length=${len}`);
}

/** Encrypts; returns ciphertext || tag. A fresh random nonce is the caller's job (see seal). */
export function encrypt(key: AesKey, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  checkKey(key);
  if (nonce.length !== NONCE_LENGTH) throw new RangeError(`expected nonce of length ${NONCE_LENGTH}, got length=${nonce.length}`);
  const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
  if (aad) c.setAAD(aad);
  const head = c.update(plaintext);
  const tail = c.final();
  return Buffer.concat([head, tail, c.getAuthTag()]);
}

/** Decrypts ciphertext || tag; returns undefined when authentication fails. */
export function decrypt(key: AesKey, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Buffer | undefined {
  checkKey(key);
  if (nonce.length !== NONCE_LENGTH || sealed.length < TAG_LENGTH) return undefined;
  const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
  d.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
  if (aad) d.setAAD(aad);
  const head = d.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
  try {
    return Buffer.concat([head, d.final()]);
  } catch {
    head.fill(0);
    return undefined;
  }
}

/** nonce || ciphertext || tag under a fresh random nonce: the wrapping format for stored secrets. */
export function seal(key: AesKey, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  const nonce = randomNonce(NONCE_LENGTH);
  return Buffer.concat([nonce, encrypt(key, nonce, plaintext, aad)]);
}

export function open(key: AesKey, sealed: Uint8Array, aad?: Uint8Array): Buffer | undefined {
  if (sealed.length < NONCE_LENGTH + TAG_LENGTH) return undefined;
  return decrypt(key, sealed.subarray(0, NONCE_LENGTH), sealed.subarray(NONCE_LENGTH), aad);
}
