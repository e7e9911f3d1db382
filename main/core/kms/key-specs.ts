// Key specs, key usages and the algorithms each combination allows: the
// table is main/api/key-specs.ts (Node-free, so the desktop app offers the
// same pairs the core accepts); here, the checks the operations run on it.
import { keyArn } from '../codecs/arn.js';
import { KmsError, validation } from '../errors.js';
import { MAX_SIGN_MESSAGE } from '../../api/limits.js';
import { keyTypeOf, SPECS, usagesOf, type Family } from '../../api/key-specs.js';
import type { KeyRecord } from '../model.js';
import type { DataKeyPairSpec, EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, KeyUsage, MacAlgorithm, MessageType, RsaEncryptionAlgorithm, SigningAlgorithm } from '../../api/enums.js';

export { SPECS, type Family };

export const familyOf = (spec: KeySpec): Family => SPECS[spec].family;
export const isAsymmetric = (spec: KeySpec): boolean => keyTypeOf(spec) === 'asymmetric';

/** HMAC key specs: the generated key length and the lengths AWS accepts for imported material (bytes). */
export const HMAC_KEY_BYTES: Readonly<Record<string, { generated: number; min: number; max: number }>> = {
  HMAC_224: { generated: 28, min: 28, max: 64 },
  HMAC_256: { generated: 32, min: 32, max: 64 },
  HMAC_384: { generated: 48, min: 48, max: 128 },
  HMAC_512: { generated: 64, min: 64, max: 128 },
};

/**
 * CreateKey: the key usage a spec gets. AWS defaults KeyUsage to
 * ENCRYPT_DECRYPT, so every other spec must name its usage; an
 * incompatible pair is a ValidationException.
 */
export function checkSpecUsage(spec: KeySpec, usage: KeyUsage | undefined): KeyUsage {
  const u = usage ?? 'ENCRYPT_DECRYPT';
  const valid = usagesOf(spec);
  if (!valid.includes(u)) {
    throw validation(
      `KeyUsage ${u} is not compatible with KeySpec ${spec}${usage === undefined ? ' (KeyUsage defaults to ENCRYPT_DECRYPT)' : ''}; ` +
        `${spec} keys support KeyUsage ${valid.join(' or ')}.`,
    );
  }
  return u;
}

/** The algorithms of a key's spec and usage. */
function algorithmsOf(key: Pick<KeyRecord, 'keySpec' | 'keyUsage'>): readonly string[] {
  return SPECS[key.keySpec].usages[key.keyUsage] ?? [];
}

/** DescribeKey / GetPublicKey: the algorithm lists AWS shows for a key's usage (each only where it applies). */
export function algorithmFields(key: Pick<KeyRecord, 'keySpec' | 'keyUsage'>): {
  EncryptionAlgorithms?: EncryptionAlgorithm[];
  SigningAlgorithms?: SigningAlgorithm[];
  MacAlgorithms?: MacAlgorithm[];
  KeyAgreementAlgorithms?: KeyAgreementAlgorithm[];
} {
  // SPECS lists, under each usage, only algorithms of that usage's kind
  const algs = [...algorithmsOf(key)];
  switch (key.keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return { EncryptionAlgorithms: algs as EncryptionAlgorithm[] };
    case 'SIGN_VERIFY':
      return { SigningAlgorithms: algs as SigningAlgorithm[] };
    case 'GENERATE_VERIFY_MAC':
      return { MacAlgorithms: algs as MacAlgorithm[] };
    case 'KEY_AGREEMENT':
      return { KeyAgreementAlgorithms: algs as KeyAgreementAlgorithm[] };
  }
}

const usageWords: Record<KeyUsage, string> = {
  ENCRYPT_DECRYPT: 'ENCRYPT_DECRYPT',
  SIGN_VERIFY: 'SIGN_VERIFY',
  GENERATE_VERIFY_MAC: 'GENERATE_VERIFY_MAC',
  KEY_AGREEMENT: 'KEY_AGREEMENT',
};

/** InvalidKeyUsageException unless the key has `usage`. */
export function requireUsage(key: KeyRecord, usage: KeyUsage, operation: string): void {
  if (key.keyUsage !== usage) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `${keyArn(key)} has KeyUsage ${key.keyUsage}; ${operation} needs a key with KeyUsage ${usageWords[usage]}.`,
    );
  }
}

/** InvalidKeyUsageException unless `alg` is one of the key's algorithms. */
export function requireAlgorithm(key: KeyRecord, alg: string, kind: string): void {
  const algs = algorithmsOf(key);
  if (!algs.includes(alg)) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `The ${kind} algorithm ${alg} is not compatible with ${keyArn(key)} (${key.keySpec}, ${key.keyUsage}); it supports ${algs.join(', ')}.`,
    );
  }
}

/** Message digests: the hash of each signing algorithm and its length in bytes. */
const SIGNING_HASH: Readonly<Record<SigningAlgorithm, { hash: 'sha256' | 'sha384' | 'sha512' | 'shake256'; bytes: number }>> = {
  RSASSA_PSS_SHA_256: { hash: 'sha256', bytes: 32 },
  RSASSA_PSS_SHA_384: { hash: 'sha384', bytes: 48 },
  RSASSA_PSS_SHA_512: { hash: 'sha512', bytes: 64 },
  RSASSA_PKCS1_V1_5_SHA_256: { hash: 'sha256', bytes: 32 },
  RSASSA_PKCS1_V1_5_SHA_384: { hash: 'sha384', bytes: 48 },
  RSASSA_PKCS1_V1_5_SHA_512: { hash: 'sha512', bytes: 64 },
  ECDSA_SHA_256: { hash: 'sha256', bytes: 32 },
  ECDSA_SHA_384: { hash: 'sha384', bytes: 48 },
  ECDSA_SHA_512: { hash: 'sha512', bytes: 64 },
  ED25519_SHA_512: { hash: 'sha512', bytes: 64 },
  ED25519_PH_SHA_512: { hash: 'sha512', bytes: 64 },
  // ML-DSA's external μ (FIPS 204 §6.2) is 64 bytes of SHAKE256
  ML_DSA_SHAKE_256: { hash: 'shake256', bytes: 64 },
};


/**
 * Sign/Verify message rules (AWS KMS API Reference, Sign "MessageType"):
 * RAW up to 4096 bytes; DIGEST exactly the algorithm's digest length, and
 * not for ED25519_SHA_512 or ML-DSA; ED25519_PH_SHA_512 needs DIGEST;
 * EXTERNAL_MU (64 bytes) only for ML-DSA. Each violation is a ValidationException.
 */
export function checkMessage(alg: SigningAlgorithm, type: MessageType, message: Uint8Array): void {
  const { bytes } = SIGNING_HASH[alg];
  if (type === 'EXTERNAL_MU' && alg !== 'ML_DSA_SHAKE_256') {
    throw validation(`MessageType EXTERNAL_MU is only for ML_DSA_SHAKE_256, not ${alg}.`);
  }
  if (type === 'DIGEST' && (alg === 'ED25519_SHA_512' || alg === 'ML_DSA_SHAKE_256')) {
    throw validation(`${alg} signs RAW messages${alg === 'ML_DSA_SHAKE_256' ? ' or an EXTERNAL_MU' : ''}; MessageType DIGEST is not supported with it${alg === 'ED25519_SHA_512' ? ' (use ED25519_PH_SHA_512 for digests)' : ''}.`);
  }
  if (type !== 'DIGEST' && alg === 'ED25519_PH_SHA_512') {
    throw validation('ED25519_PH_SHA_512 signs a SHA-512 digest: pass MessageType DIGEST with a 64-byte Message (use ED25519_SHA_512 for RAW messages).');
  }
  if (type === 'RAW' && message.length > MAX_SIGN_MESSAGE) {
    throw validation(`A RAW message can be at most ${MAX_SIGN_MESSAGE} bytes; this one is ${message.length}. Sign a digest of it with MessageType DIGEST instead.`);
  }
  if ((type === 'DIGEST' || type === 'EXTERNAL_MU') && message.length !== bytes) {
    throw validation(`With MessageType ${type}, ${alg} needs a Message of exactly ${bytes} bytes; this one is ${message.length}.`);
  }
}

/** RSAES-OAEP plaintext limit: k − 2·hLen − 2 bytes (RFC 8017 §7.1.1). */
export function oaepMaxPlaintext(spec: KeySpec, alg: RsaEncryptionAlgorithm): number {
  const k = rsaBits(spec) / 8;
  return k - 2 * (alg === 'RSAES_OAEP_SHA_1' ? 20 : 32) - 2;
}

export function rsaBits(spec: KeySpec | DataKeyPairSpec): number {
  const m = /^RSA_(\d+)$/.exec(spec);
  if (!m) throw new Error(`${spec} is not an RSA key spec`);
  return Number(m[1]);
}

/**
 * Rotation (EnableKeyRotation, DisableKeyRotation, RotateKeyOnDemand) is for
 * symmetric encryption keys whose material the vault generated; anything
 * else is UnsupportedOperationException, as in AWS.
 */
export function requireRotatable(key: KeyRecord): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.origin !== 'AWS_KMS') {
    throw new KmsError(
      'UnsupportedOperationException',
      `${keyArn(key)} is ${key.origin === 'EXTERNAL' ? 'a key with imported material' : `a ${key.keySpec} key`}; only symmetric encryption keys with vault-generated material rotate.`,
    );
  }
}
