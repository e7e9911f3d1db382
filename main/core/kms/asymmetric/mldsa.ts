// ML-DSA-44/65/87 (FIPS 204) through @noble/post-quantum: ML_DSA_SHAKE_256
// signs a RAW message with the pure, hedged ML-DSA.Sign and an empty
// context (FIPS 204 Algorithm 2), or a caller's 64-byte μ (EXTERNAL_MU,
// FIPS 204 §6.2, Algorithm 7 from line 6).
//
// Keys are kept as their 32-byte seed ξ inside PKCS#8 (the "seed" form of
// ML-DSA-PrivateKey, RFC 9881 §6); SubjectPublicKeyInfo per RFC 9881 §4.
import { randomBytes } from 'node:crypto';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { bitString, bitStringBytes, children, contextTag, decodeOid, DerError, expectTag, octets, oid, readOnly, readTlv, seq, smallInt, TAG } from '../../codecs/asn1.js';

export type MlDsaSpec = 'ML_DSA_44' | 'ML_DSA_65' | 'ML_DSA_87';
const IMPL = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;
/** id-ml-dsa-44/65/87 (NIST CSOR, 2.16.840.1.101.3.4.3.17–19) */
const MLDSA_OID: Record<MlDsaSpec, string> = {
  ML_DSA_44: '2.16.840.1.101.3.4.3.17',
  ML_DSA_65: '2.16.840.1.101.3.4.3.18',
  ML_DSA_87: '2.16.840.1.101.3.4.3.19',
};

const mlDsaSpki = (spec: MlDsaSpec, publicKey: Uint8Array) => seq(seq(oid(MLDSA_OID[spec])), bitString(publicKey));
const mlDsaPkcs8 = (spec: MlDsaSpec, seed: Uint8Array) => seq(smallInt(0), seq(oid(MLDSA_OID[spec])), octets(contextTag(0, false, seed)));

export class MlDsaKey {
  readonly spec: MlDsaSpec;
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly #secretKey: Uint8Array;

  constructor(spec: MlDsaSpec, seed: Uint8Array) {
    if (seed.length !== 32) throw new RangeError(`expected Uint8Array of length 32, got length=${seed.length}`);
    this.spec = spec;
    this.seed = Uint8Array.from(seed);
    const { secretKey, publicKey } = IMPL[spec].keygen(seed);
    this.#secretKey = secretKey;
    this.publicKey = publicKey;
  }

  static generate(spec: MlDsaSpec): MlDsaKey {
    return new MlDsaKey(spec, randomBytes(32));
  }

  /**
   * Parses PKCS#8 { id-ml-dsa-*, ML-DSA-PrivateKey } in the seed form
   * ([0] seed) or the both form (SEQUENCE { seed, expandedKey }, the
   * expanded key checked against the seed). The expandedKey-only form
   * carries no seed and is refused.
   */
  static fromPkcs8(spec: MlDsaSpec, der: Uint8Array): MlDsaKey {
    const [version, alg, privateKey, ...rest] = children(readOnly(der, TAG.SEQUENCE));
    const v = expectTag(version, TAG.INTEGER, 'version');
    if (v.length !== 1 || (v[0] !== 0 && v[0] !== 1)) throw new DerError('PKCS#8: unsupported version');
    const algFields = children(expectTag(alg, TAG.SEQUENCE, 'algorithm'));
    if (algFields.length !== 1 || decodeOid(expectTag(algFields[0], TAG.OID, 'algorithm')) !== MLDSA_OID[spec]) throw new DerError(`PKCS#8: not an ${spec} private key`);
    // [1] publicKey (RFC 5958) may follow; it must match
    const inner = expectTag(privateKey, TAG.OCTET_STRING, 'privateKey');
    const choice = readTlv(inner);
    if (choice.end !== inner.length) throw new DerError('ML-DSA-PrivateKey: trailing data');
    let key: MlDsaKey;
    if (choice.tag === 0x80) {
      key = new MlDsaKey(spec, choice.value);
    } else if (choice.tag === TAG.SEQUENCE) {
      const [seedT, expandedT] = children(choice.value);
      key = new MlDsaKey(spec, expectTag(seedT, TAG.OCTET_STRING, 'seed'));
      if (!Buffer.from(expectTag(expandedT, TAG.OCTET_STRING, 'expandedKey')).equals(Buffer.from(key.#secretKey))) {
        throw new DerError('ML-DSA-PrivateKey: the expanded key does not match the seed');
      }
    } else {
      throw new DerError('ML-DSA-PrivateKey: only the seed and both forms are accepted (the expanded-key form has no seed)');
    }
    for (const f of rest) {
      if (f.tag !== 0x81 || !Buffer.from(bitStringBytes(f.value)).equals(Buffer.from(key.publicKey))) throw new DerError('PKCS#8: unexpected field or mismatched public key');
    }
    return key;
  }

  get spki(): Buffer {
    return mlDsaSpki(this.spec, this.publicKey);
  }

  get pkcs8(): Buffer {
    return mlDsaPkcs8(this.spec, this.seed);
  }

  sign(message: Uint8Array, type: 'RAW' | 'EXTERNAL_MU'): Buffer {
    const impl = IMPL[this.spec];
    // internal.sign wipes the μ it is given (noble cleans its buffers): hand it a copy, never the caller's bytes
    return Buffer.from(type === 'RAW' ? impl.sign(message, this.#secretKey) : impl.internal.sign(Uint8Array.from(message), this.#secretKey, { externalMu: true }));
  }
}

export function mlDsaVerify(spec: MlDsaSpec, publicKey: Uint8Array, message: Uint8Array, type: 'RAW' | 'EXTERNAL_MU', signature: Uint8Array, context?: Uint8Array): boolean {
  const impl = IMPL[spec];
  try {
    return type === 'RAW' ? impl.verify(signature, message, publicKey, context ? { context } : {}) : impl.internal.verify(signature, message, publicKey, { externalMu: true });
  } catch {
    return false;
  }
}
