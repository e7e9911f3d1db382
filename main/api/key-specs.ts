// Which key usages each key spec may have, and the algorithms of each pair,
// with AWS's rules and exceptions (AWS KMS Developer Guide, "Key spec
// reference": RSA, ECC, SM2, ML-DSA and HMAC key specs; API Reference,
// CreateKey, Sign, Verify, Encrypt, GenerateMac, DeriveSharedSecret).
// ECC_X25519 is a Strongroom addition (KEY_AGREEMENT only), so partners can
// encrypt age files to a vault key.
//
// The one table of these rules: the core checks CreateKey against it
// (core/kms/key-specs.ts) and the desktop app's create-key wizard offers
// only what it allows. Node-free: part of the contract.
import { KEY_SPECS, type KeySpec, type KeyUsage } from './enums.js';

export type Family = 'symmetric' | 'hmac' | 'rsa' | 'ec' | 'secp256k1' | 'ed25519' | 'x25519' | 'mldsa';

export interface SpecInfo {
  readonly family: Family;
  /** usages this spec may have, the first one being the one a partner most often means; each with its algorithms */
  readonly usages: Partial<Record<KeyUsage, readonly string[]>>;
}

// Each usage's algorithms in the order AWS lists them in DescribeKey and
// GetPublicKey (KeyMetadata EncryptionAlgorithms, SigningAlgorithms, …),
// which is not the order of the model's enums: for RSA keys PKCS #1 v1.5
// first, then PSS (botocore kms examples-1.json, "To get details about an
// RSA asymmetric KMS key"; the AWS CLI's kms describe-key and
// get-public-key examples; a real CreateKey response printed by the CLI,
// nsmith.net/aws-kms-cli-rsa-signing), OAEP SHA-1 before SHA-256.
const RSA_USAGES = {
  ENCRYPT_DECRYPT: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
  SIGN_VERIFY: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'],
} as const;

export const SPECS: Readonly<Record<KeySpec, SpecInfo>> = {
  SYMMETRIC_DEFAULT: { family: 'symmetric', usages: { ENCRYPT_DECRYPT: ['SYMMETRIC_DEFAULT'] } },
  RSA_2048: { family: 'rsa', usages: RSA_USAGES },
  RSA_3072: { family: 'rsa', usages: RSA_USAGES },
  RSA_4096: { family: 'rsa', usages: RSA_USAGES },
  ECC_NIST_P256: { family: 'ec', usages: { SIGN_VERIFY: ['ECDSA_SHA_256'], KEY_AGREEMENT: ['ECDH'] } },
  ECC_NIST_P384: { family: 'ec', usages: { SIGN_VERIFY: ['ECDSA_SHA_384'], KEY_AGREEMENT: ['ECDH'] } },
  ECC_NIST_P521: { family: 'ec', usages: { SIGN_VERIFY: ['ECDSA_SHA_512'], KEY_AGREEMENT: ['ECDH'] } },
  ECC_SECG_P256K1: { family: 'secp256k1', usages: { SIGN_VERIFY: ['ECDSA_SHA_256'] } },
  ECC_NIST_EDWARDS25519: { family: 'ed25519', usages: { SIGN_VERIFY: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] } },
  ECC_X25519: { family: 'x25519', usages: { KEY_AGREEMENT: ['ECDH'] } },
  ML_DSA_44: { family: 'mldsa', usages: { SIGN_VERIFY: ['ML_DSA_SHAKE_256'] } },
  ML_DSA_65: { family: 'mldsa', usages: { SIGN_VERIFY: ['ML_DSA_SHAKE_256'] } },
  ML_DSA_87: { family: 'mldsa', usages: { SIGN_VERIFY: ['ML_DSA_SHAKE_256'] } },
  HMAC_224: { family: 'hmac', usages: { GENERATE_VERIFY_MAC: ['HMAC_SHA_224'] } },
  HMAC_256: { family: 'hmac', usages: { GENERATE_VERIFY_MAC: ['HMAC_SHA_256'] } },
  HMAC_384: { family: 'hmac', usages: { GENERATE_VERIFY_MAC: ['HMAC_SHA_384'] } },
  HMAC_512: { family: 'hmac', usages: { GENERATE_VERIFY_MAC: ['HMAC_SHA_512'] } },
};

/** The usages a key spec may have (CreateKey refuses any other pair). */
export const usagesOf = (spec: KeySpec): KeyUsage[] => Object.keys(SPECS[spec].usages) as KeyUsage[];

/** The AWS console's key types: symmetric encryption, HMAC, or asymmetric (every other family). */
export type KeyType = 'symmetric' | 'asymmetric' | 'hmac';
export const keyTypeOf = (spec: KeySpec): KeyType => (SPECS[spec].family === 'symmetric' ? 'symmetric' : SPECS[spec].family === 'hmac' ? 'hmac' : 'asymmetric');

/** Every valid (spec, usage) pair of a key type, in KEY_SPECS order. */
export function specUsagePairs(type: KeyType): { spec: KeySpec; usage: KeyUsage }[] {
  return KEY_SPECS.filter((spec) => keyTypeOf(spec) === type).flatMap((spec) => usagesOf(spec).map((usage) => ({ spec, usage })));
}
