// secp256k1 (ECC_SECG_P256K1): ECDSA_SHA_256 with DER signatures through
// @noble/curves, which works the same under Node's OpenSSL and Electron's
// BoringSSL (which lacks the curve). Keys are stored as PKCS#8 (RFC 5208)
// wrapping an ECPrivateKey (RFC 5915), as OpenSSL writes them.
//
// Signatures are RFC 6979 deterministic and low-S (s ≤ n/2, as Bitcoin and
// Ethereum require); verification accepts high-S too, as OpenSSL and AWS do.
import { createHash, randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bitString, bitStringBytes, children, contextTag, decodeOid, DerError, expectTag, octets, oid, readOnly, seq, smallInt, TAG } from '../../codecs/asn1.js';

export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_SECP256K1 = '1.3.132.0.10';

const algId = () => seq(oid(OID_EC_PUBLIC_KEY), oid(OID_SECP256K1));

function secp256k1Spki(point: Uint8Array): Buffer {
  return seq(algId(), bitString(point));
}

function secp256k1Pkcs8(scalar: Uint8Array): Buffer {
  const pub = secp256k1.getPublicKey(scalar, false);
  const ecPrivateKey = seq(smallInt(1), octets(scalar), contextTag(1, true, bitString(pub)));
  return seq(smallInt(0), algId(), octets(ecPrivateKey));
}

/** Parses a DER SubjectPublicKeyInfo for secp256k1; returns the uncompressed point. Throws otherwise. */
export function parseSecp256k1Spki(spki: Uint8Array): Uint8Array {
  const [alg, key, ...rest] = children(readOnly(spki, TAG.SEQUENCE));
  if (rest.length) throw new DerError('SPKI: trailing fields');
  const [algOid, curveOid] = children(expectTag(alg, TAG.SEQUENCE, 'algorithm'));
  if (decodeOid(expectTag(algOid, TAG.OID, 'algorithm')) !== OID_EC_PUBLIC_KEY || decodeOid(expectTag(curveOid, TAG.OID, 'curve')) !== OID_SECP256K1) {
    throw new DerError('SPKI: not a secp256k1 public key');
  }
  const point = bitStringBytes(expectTag(key, TAG.BIT_STRING, 'subjectPublicKey'));
  // fromBytes checks the point is on the curve; return it uncompressed
  return secp256k1.Point.fromBytes(point).toBytes(false);
}

/** A secp256k1 key pair. */
export class Secp256k1Key {
  readonly scalar: Uint8Array;
  /** uncompressed point */
  readonly point: Uint8Array;

  constructor(scalar: Uint8Array) {
    if (!secp256k1.utils.isValidSecretKey(scalar)) throw new Error('invalid secp256k1 private key');
    this.scalar = scalar;
    this.point = secp256k1.getPublicKey(scalar, false);
  }

  static generate(): Secp256k1Key {
    for (;;) {
      const s = randomBytes(32);
      if (secp256k1.utils.isValidSecretKey(s)) return new Secp256k1Key(s);
    }
  }

  /** Parses PKCS#8 PrivateKeyInfo { ecPublicKey, secp256k1, ECPrivateKey }; checks an embedded public key matches. */
  static fromPkcs8(der: Uint8Array): Secp256k1Key {
    const [version, alg, privateKey] = children(readOnly(der, TAG.SEQUENCE));
    const v = expectTag(version, TAG.INTEGER, 'version');
    if (v.length !== 1 || (v[0] !== 0 && v[0] !== 1)) throw new DerError('PKCS#8: unsupported version');
    const [algOid, curveOid] = children(expectTag(alg, TAG.SEQUENCE, 'algorithm'));
    if (decodeOid(expectTag(algOid, TAG.OID, 'algorithm')) !== OID_EC_PUBLIC_KEY || decodeOid(expectTag(curveOid, TAG.OID, 'curve')) !== OID_SECP256K1) {
      throw new DerError('PKCS#8: not a secp256k1 private key');
    }
    const fields = children(readOnly(expectTag(privateKey, TAG.OCTET_STRING, 'privateKey'), TAG.SEQUENCE));
    const ecVersion = expectTag(fields[0], TAG.INTEGER, 'ECPrivateKey version');
    if (ecVersion.length !== 1 || ecVersion[0] !== 1) throw new DerError('ECPrivateKey: version must be 1');
    const d = expectTag(fields[1], TAG.OCTET_STRING, 'ECPrivateKey privateKey');
    if (d.length === 0 || d.length > 32) throw new DerError('ECPrivateKey: private key must be 32 bytes');
    const scalar = Buffer.concat([Buffer.alloc(32 - d.length), d]);
    const key = new Secp256k1Key(scalar);
    for (const f of fields.slice(2)) {
      if (f.tag === 0xa0) {
        if (decodeOid(readOnly(f.value, TAG.OID)) !== OID_SECP256K1) throw new DerError('ECPrivateKey: parameters name another curve');
      } else if (f.tag === 0xa1) {
        const embedded = secp256k1.Point.fromBytes(bitStringBytes(readOnly(f.value, TAG.BIT_STRING))).toBytes(false);
        if (!Buffer.from(embedded).equals(Buffer.from(key.point))) throw new DerError('ECPrivateKey: public key does not match the private key');
      } else throw new DerError('ECPrivateKey: unexpected field');
    }
    return key;
  }

  get spki(): Buffer {
    return secp256k1Spki(this.point);
  }

  get pkcs8(): Buffer {
    return secp256k1Pkcs8(this.scalar);
  }

  /** ECDSA_SHA_256: RAW messages are hashed with SHA-256 here; DIGEST is the 32-byte hash. */
  sign(message: Uint8Array, type: 'RAW' | 'DIGEST'): Buffer {
    const digest = type === 'RAW' ? createHash('sha256').update(message).digest() : message;
    return Buffer.from(secp256k1.sign(digest, this.scalar, { prehash: false, format: 'der', lowS: true }));
  }
}

export function secp256k1Verify(point: Uint8Array, message: Uint8Array, type: 'RAW' | 'DIGEST', signature: Uint8Array): boolean {
  const digest = type === 'RAW' ? createHash('sha256').update(message).digest() : message;
  try {
    return secp256k1.verify(signature, digest, point, { prehash: false, format: 'der', lowS: false });
  } catch {
    return false;
  }
}
