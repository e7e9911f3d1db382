// Random 96-bit AES-GCM nonces (NIST SP 800-38D §8.2.2, the RBG-based
// construction): fresh bytes from the CSPRNG for every message.
import { randomBytes } from 'node:crypto';

/** `length` fresh random bytes for a nonce or IV (12 for AES-GCM). */
export const randomNonce = (length = 12): Buffer => randomBytes(length);
