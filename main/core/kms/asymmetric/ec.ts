// NIST P-256/P-384/P-521 (ECC_NIST_P*): ECDSA with DER signatures (ANSI
// X9.62, RFC 3279 §2.2.3) and ECDH (NIST SP 800-56A: the shared secret is
// the x-coordinate), through node:crypto. node:crypto cannot sign a digest
// it did not compute, so MessageType DIGEST signs and verifies with
// @noble/curves (RFC 6979 deterministic nonces), the same curves; a vector
// test checks the two agree.
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPair, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { children, decodeOid, expectTag, readOnly, TAG } from '../../codecs/asn1.js';
import { OID_EC_PUBLIC_KEY } from './secp256k1.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export type NistCurve = 'P-256' | 'P-384' | 'P-521';

export const CURVE_OF_SPEC = { ECC_NIST_P256: 'P-256', ECC_NIST_P384: 'P-384', ECC_NIST_P521: 'P-521' } as const;
/** node:crypto's names for the curves (asymmetricKeyDetails.namedCurve) */
const OPENSSL_NAME: Record<NistCurve, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };
const HASH: Record<NistCurve, string> = { 'P-256': 'sha256', 'P-384': 'sha384', 'P-521': 'sha512' };
const NOBLE: Record<NistCurve, ECDSA> = { 'P-256': p256, 'P-384': p384, 'P-521': p521 };
/** field element size in bytes */
export const COORD_BYTES: Record<NistCurve, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

export async function generateEc(curve: NistCurve): Promise<{ pkcs8: Buffer; spki: Buffer }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('ec', {
    namedCurve: curve,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return { pkcs8: privateKey, spki: publicKey };
}

const curveOf = (k: KeyObject): NistCurve | undefined => {
  const name = k.asymmetricKeyDetails?.namedCurve;
  return (Object.keys(OPENSSL_NAME) as NistCurve[]).find((c) => OPENSSL_NAME[c] === name);
};

/** An EC key pair on one of the NIST curves. */
export class EcKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly curve: NistCurve;
  #scalar: Uint8Array | undefined;

  constructor(pkcs8: Uint8Array, curve: NistCurve) {
    this.privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    if (this.privateKey.asymmetricKeyType !== 'ec' || curveOf(this.privateKey) !== curve) {
      throw new Error(`expected an EC private key on ${curve}`);
    }
    this.publicKey = createPublicKey(this.privateKey);
    this.curve = curve;
  }

  /** The private scalar, for @noble/curves (DIGEST signing only). */
  get scalar(): Uint8Array {
    this.#scalar ??= Buffer.from(this.privateKey.export({ format: 'jwk' }).d!, 'base64url');
    return this.#scalar;
  }

  sign(message: Uint8Array, type: 'RAW' | 'DIGEST'): Promise<Buffer> {
    if (type === 'DIGEST') {
      return Promise.resolve(Buffer.from(NOBLE[this.curve].sign(message, this.scalar, { prehash: false, format: 'der', lowS: false })));
    }
    return new Promise((resolve, reject) =>
      nodeSign(HASH[this.curve], message, { key: this.privateKey, dsaEncoding: 'der' }, (err, sig) => (err ? reject(err) : resolve(sig))),
    );
  }

  /** ECDH with a peer's public key on the same curve: the raw shared x-coordinate. */
  derive(peer: KeyObject): Buffer {
    return diffieHellman({ privateKey: this.privateKey, publicKey: peer });
  }
}

/** The uncompressed point 04‖X‖Y of a public key. */
function ecPoint(pub: KeyObject): Uint8Array {
  const jwk = pub.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}

/** RFC 5480 §2.1.1.1 named-curve OIDs */
const CURVE_OID: Record<NistCurve, string> = { 'P-256': '1.2.840.10045.3.1.7', 'P-384': '1.3.132.0.34', 'P-521': '1.3.132.0.35' };

/**
 * Parses a DER SubjectPublicKeyInfo and checks it is a point on `curve`;
 * throws otherwise. The curve must be named by its OID (RFC 5480 §2.1.1:
 * namedCurve); explicit parameters are refused even when OpenSSL would
 * match them to a named curve.
 */
export function ecPublicKey(spki: Uint8Array, curve: NistCurve): KeyObject {
  const [alg] = children(readOnly(spki, TAG.SEQUENCE));
  const [algOid, params] = children(expectTag(alg, TAG.SEQUENCE, 'algorithm'));
  if (decodeOid(expectTag(algOid, TAG.OID, 'algorithm')) !== OID_EC_PUBLIC_KEY || decodeOid(expectTag(params, TAG.OID, 'namedCurve')) !== CURVE_OID[curve]) {
    throw new Error(`expected an EC public key on the named curve ${curve}`);
  }
  const k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (k.asymmetricKeyType !== 'ec' || curveOf(k) !== curve) throw new Error(`expected an EC public key on ${curve}`);
  return k;
}

/** ECDSA verification of a DER signature; false for any malformed or wrong signature. */
export function ecdsaVerify(pub: KeyObject, curve: NistCurve, message: Uint8Array, type: 'RAW' | 'DIGEST', signature: Uint8Array): Promise<boolean> {
  if (type === 'DIGEST') {
    try {
      return Promise.resolve(NOBLE[curve].verify(signature, message, ecPoint(pub), { prehash: false, format: 'der', lowS: false }));
    } catch {
      return Promise.resolve(false);
    }
  }
  return new Promise((resolve) => nodeVerify(HASH[curve], message, { key: pub, dsaEncoding: 'der' }, signature, (err, ok) => resolve(!err && ok)));
}
