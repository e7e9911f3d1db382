// Public keys from a DER SubjectPublicKeyInfo, for tests that verify with a
// key they are given (Wycheproof groups, GetPublicKey's output). The vault
// itself never reads an Ed25519, RSA or ML-DSA public key it did not make
// (it verifies with its own key pairs), so these readers live with the tests.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { bitStringBytes, children, decodeOid, DerError, expectTag, readOnly, TAG } from '../../main/core/codecs/asn1.js';
import type { MlDsaSpec } from '../../main/core/kms/asymmetric/mldsa.js';

/** A node:crypto public key of the given type; throws for any other. */
export function spkiPublicKey(spki: Uint8Array, type: 'ed25519' | 'rsa'): KeyObject {
  const k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (k.asymmetricKeyType !== type) throw new Error(`expected an ${type} public key, got ${k.asymmetricKeyType}`);
  return k;
}

/** id-ml-dsa-44/65/87 (NIST CSOR, 2.16.840.1.101.3.4.3.17–19) and the public key lengths (FIPS 204 Table 2). */
const ML_DSA: Record<MlDsaSpec, { oid: string; publicKeyLength: number }> = {
  ML_DSA_44: { oid: '2.16.840.1.101.3.4.3.17', publicKeyLength: ml_dsa44.lengths.publicKey! },
  ML_DSA_65: { oid: '2.16.840.1.101.3.4.3.18', publicKeyLength: ml_dsa65.lengths.publicKey! },
  ML_DSA_87: { oid: '2.16.840.1.101.3.4.3.19', publicKeyLength: ml_dsa87.lengths.publicKey! },
};

/** The raw public key of an ML-DSA SubjectPublicKeyInfo (RFC 9881 §4); throws if it is not one of `spec`. */
export function mlDsaPublicKey(spec: MlDsaSpec, spki: Uint8Array): Uint8Array {
  const [alg, key, ...rest] = children(readOnly(spki, TAG.SEQUENCE));
  if (rest.length) throw new DerError('SPKI: trailing fields');
  const algFields = children(expectTag(alg, TAG.SEQUENCE, 'algorithm'));
  if (algFields.length !== 1 || decodeOid(expectTag(algFields[0], TAG.OID, 'algorithm')) !== ML_DSA[spec].oid) throw new DerError(`SPKI: not an ${spec} public key`);
  const pk = bitStringBytes(expectTag(key, TAG.BIT_STRING, 'subjectPublicKey'));
  if (pk.length !== ML_DSA[spec].publicKeyLength) throw new DerError(`SPKI: ${spec} public keys are ${ML_DSA[spec].publicKeyLength} bytes`);
  return pk;
}
