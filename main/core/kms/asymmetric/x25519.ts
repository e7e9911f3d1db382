// X25519 (RFC 7748 §5) key agreement for the Strongroom key spec ECC_X25519,
// through node:crypto. A shared secret of all zeros (a peer's low-order
// point, RFC 7748 §6.1) is refused, as age and TLS 1.3 require.
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

/** DER SubjectPublicKeyInfo header for an X25519 key (RFC 8410 §4): the raw 32-byte key follows. */
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export async function generateX25519(): Promise<{ pkcs8: Buffer; spki: Buffer }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('x25519', {
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return { pkcs8: privateKey, spki: publicKey };
}

export function x25519SpkiFromRaw(raw: Uint8Array): Buffer {
  if (raw.length !== 32) throw new RangeError(`expected Uint8Array of length 32, got length=${raw.length}`);
  return Buffer.concat([X25519_SPKI_PREFIX, raw]);
}

export function x25519PublicKey(spki: Uint8Array): KeyObject {
  const k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (k.asymmetricKeyType !== 'x25519') throw new Error('expected an X25519 public key');
  return k;
}

export class X25519Key {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor(pkcs8: Uint8Array) {
    this.privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    if (this.privateKey.asymmetricKeyType !== 'x25519') throw new Error('expected an X25519 private key');
    this.publicKey = createPublicKey(this.privateKey);
  }

  /** The 32-byte shared secret; throws if the peer's point gives all zeros. */
  derive(peer: KeyObject): Buffer {
    let shared: Buffer;
    try {
      shared = diffieHellman({ privateKey: this.privateKey, publicKey: peer });
    } catch {
      throw new Error('X25519 produced no shared secret (the peer key is a low-order point)');
    }
    if (shared.every((b) => b === 0)) throw new Error('X25519 produced an all-zero shared secret (the peer key is a low-order point)');
    return shared;
  }
}
