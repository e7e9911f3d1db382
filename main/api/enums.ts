// The enumerations of the AWS KMS API (AWS KMS API Reference, Data Types
// and each action's parameters) as Strongroom offers them, so inputs and
// outputs are typed by what they can be, not by `string`. Strongroom's own
// additions are marked. Node-free: part of the contract (operation.ts).

export const KEY_STATES = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable'] as const;
export type KeyState = (typeof KEY_STATES)[number];

export const KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  /** Strongroom: X25519 key agreement (age recipients); not an AWS key spec */
  'ECC_X25519',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

export const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export const ORIGINS = ['AWS_KMS', 'EXTERNAL'] as const;
export type Origin = (typeof ORIGINS)[number];
export const ROTATION_TYPES = ['AUTOMATIC', 'ON_DEMAND'] as const;
export type RotationType = (typeof ROTATION_TYPES)[number];

export const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const;
export type EncryptionAlgorithm = (typeof ENCRYPTION_ALGORITHMS)[number];
export type RsaEncryptionAlgorithm = Exclude<EncryptionAlgorithm, 'SYMMETRIC_DEFAULT'>;

export const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'ED25519_SHA_512',
  'ED25519_PH_SHA_512',
  'ML_DSA_SHAKE_256',
] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const MAC_ALGORITHMS = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const;
export type MacAlgorithm = (typeof MAC_ALGORITHMS)[number];

export const KEY_AGREEMENT_ALGORITHMS = ['ECDH'] as const;
export type KeyAgreementAlgorithm = (typeof KEY_AGREEMENT_ALGORITHMS)[number];

/** GenerateDataKeyPair's KeyPairSpec (AWS DataKeyPairSpec without SM2, which AWS offers only in China Regions). */
export const DATA_KEY_PAIR_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'] as const;
export type DataKeyPairSpec = (typeof DATA_KEY_PAIR_SPECS)[number];

/** GetParametersForImport's WrappingAlgorithm and WrappingKeySpec (AWS KMS API Reference). */
export const WRAPPING_ALGORITHMS = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'] as const;

export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];

export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const;

export type WrappingKeySpec = (typeof WRAPPING_KEY_SPECS)[number];

/** Strongroom's ExportPublicKey formats: what partners' tools read (README, "Handing a public key to a partner"). */
export const PUBLIC_KEY_FORMATS = ['pem', 'der', 'jwk', 'ssh', 'age'] as const;

export type PublicKeyFormat = (typeof PUBLIC_KEY_FORMATS)[number];

/** The operations a grant may allow (AWS KMS API Reference, CreateGrant Operations). */
export const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
] as const;


/** ImportKeyMaterial's ExpirationModel. */
export const EXPIRATION_MODELS = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] as const;
export type ExpirationModel = (typeof EXPIRATION_MODELS)[number];

/** ExportPublicKey's FingerprintType: how the fingerprint of each format is computed. */
export const FINGERPRINT_TYPES = ['SPKI_SHA256_HEX', 'JWK_THUMBPRINT_SHA256', 'OPENSSH_SHA256'] as const;
export type FingerprintType = (typeof FINGERPRINT_TYPES)[number];
export type GrantOperation = (typeof GRANT_OPERATIONS)[number];

/** ListKeyRotations (AWS RotationsListEntry): each material version's state */
export const IMPORT_STATES = ['IMPORTED', 'PENDING_IMPORT'] as const;
export const KEY_MATERIAL_STATES = ['NON_CURRENT', 'CURRENT', 'PENDING_ROTATION', 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION'] as const;
/** ListKeyRotations IncludeKeyMaterial: rotations only (the default), or every material version */
export const INCLUDE_KEY_MATERIAL = ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'] as const;

/** GetKeyLastUsage (AWS KeyLastUsageTrackingOperation): the successful cryptographic operations that count as a key's use */
export const KEY_LAST_USAGE_OPERATIONS = [
  'Decrypt',
  'DeriveSharedSecret',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'ReEncrypt',
  'Sign',
  'Verify',
  'VerifyMac',
] as const;
export type KeyLastUsageOperation = (typeof KEY_LAST_USAGE_OPERATIONS)[number];
