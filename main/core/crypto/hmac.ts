// HMAC (RFC 2104, FIPS 198-1) with SHA-224/256/384/512 through node:crypto,
// for HMAC_224/256/384/512 keys (GenerateMac, VerifyMac). Verification
// compares in constant time.
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { type MacAlgorithm } from '../../api/enums.js';

const HASH: Record<MacAlgorithm, string> = {
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

export function hmac(alg: MacAlgorithm, key: KeyObject | Uint8Array, message: Uint8Array): Buffer {
  return createHmac(HASH[alg], key).update(message).digest();
}

/** True when `mac` is the full-length HMAC of `message` (AWS compares whole tags; truncated tags fail). */
export function hmacVerify(alg: MacAlgorithm, key: KeyObject | Uint8Array, message: Uint8Array, mac: Uint8Array): boolean {
  const expected = hmac(alg, key, message);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}
