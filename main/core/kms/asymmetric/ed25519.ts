// Ed25519 (ECC_NIST_EDWARDS25519, RFC 8032 §5.1): ED25519_SHA_512 is
// PureEdDSA over a RAW message, through node:crypto; ED25519_PH_SHA_512 is
// Ed25519ph over a caller's SHA-512 digest (MessageType DIGEST), which
// node:crypto does not offer, through @noble/curves with the RFC 8032
// dom2(1, "") prefix and the digest taken as PH(M).
import { createPrivateKey, createPublicKey, generateKeyPair, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { ed25519 } from '@noble/curves/ed25519.js';
import { eddsa } from '@noble/curves/abstract/edwards.js';
import { sha512 } from '@noble/hashes/sha2.js';

const generateKeyPairAsync = promisify(generateKeyPair);

// RFC 8032 §5.1: dom2(phflag, context) = "SigEd25519 no Ed25519 collisions" ‖ phflag ‖ len(ctx) ‖ ctx
const DOM2 = Buffer.from('SigEd25519 no Ed25519 collisions', 'latin1');
function dom2(data: Uint8Array, ctx: Uint8Array, phflag: boolean): Uint8Array {
  if (ctx.length > 255) throw new Error('context too long');
  return Buffer.concat([DOM2, Buffer.from([phflag ? 1 : 0, ctx.length]), ctx, data]);
}
// RFC 8032 §5.1.5: clamp the scalar half of SHA-512(seed)
function clamp(bytes: Uint8Array): Uint8Array {
  bytes[0]! &= 248;
  bytes[31]! &= 127;
  bytes[31]! |= 64;
  return bytes;
}

/** Ed25519ph whose "message" is already PH(M) = SHA-512(M): the prehash step is the identity. */
const ed25519phDigest = eddsa(ed25519.Point, sha512, {
  adjustScalarBytes: clamp,
  domain: dom2,
  prehash: (digest: Uint8Array) => digest,
  zip215: false,
});

export async function generateEd25519(): Promise<{ pkcs8: Buffer; spki: Buffer }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return { pkcs8: privateKey, spki: publicKey };
}

export class Ed25519Key {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  #seed: Uint8Array | undefined;

  constructor(pkcs8: Uint8Array) {
    this.privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    if (this.privateKey.asymmetricKeyType !== 'ed25519') throw new Error('expected an Ed25519 private key');
    this.publicKey = createPublicKey(this.privateKey);
  }

  get seed(): Uint8Array {
    this.#seed ??= Buffer.from(this.privateKey.export({ format: 'jwk' }).d!, 'base64url');
    return this.#seed;
  }

  /** ED25519_SHA_512 over a RAW message, or ED25519_PH_SHA_512 over a 64-byte SHA-512 DIGEST. */
  sign(message: Uint8Array, type: 'RAW' | 'DIGEST'): Promise<Buffer> {
    if (type === 'DIGEST') return Promise.resolve(Buffer.from(ed25519phDigest.sign(message, this.seed)));
    return new Promise((resolve, reject) => nodeSign(null, message, this.privateKey, (err, sig) => (err ? reject(err) : resolve(sig))));
  }
}

/** The 32-byte public key A of an Ed25519 KeyObject. */
export const ed25519Raw = (pub: KeyObject) => Buffer.from(pub.export({ format: 'jwk' }).x!, 'base64url');

/** Verifies ED25519_SHA_512 (RAW) or ED25519_PH_SHA_512 (DIGEST); false for anything malformed. */
export function ed25519Verify(pub: KeyObject, message: Uint8Array, type: 'RAW' | 'DIGEST', signature: Uint8Array): Promise<boolean> {
  if (type === 'DIGEST') {
    try {
      return Promise.resolve(ed25519phDigest.verify(signature, message, ed25519Raw(pub)));
    } catch {
      return Promise.resolve(false);
    }
  }
  return new Promise((resolve) => nodeVerify(null, message, pub, signature, (err, ok) => resolve(!err && ok)));
}
