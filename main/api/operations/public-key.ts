// GetPublicKey (AWS KMS API Reference) and ExportPublicKey, a Strongroom
// operation that hands the same public key out in the formats partners'
// tools read (PEM/DER SubjectPublicKeyInfo, JWK, OpenSSH, age recipient),
// with the fingerprint those tools print. Both are authorized as
// kms:GetPublicKey.
import { z } from 'zod';
import { operation } from '../operation.js';
import { ENCRYPTION_ALGORITHMS, FINGERPRINT_TYPES, KEY_AGREEMENT_ALGORITHMS, KEY_SPECS, KEY_USAGES, PUBLIC_KEY_FORMATS, SIGNING_ALGORITHMS } from '../enums.js';
import { Bytes, GrantTokens, KeyId } from '../fields.js';


export const GetPublicKey = operation({
  name: 'GetPublicKey',
  action: 'kms:GetPublicKey',
  readOnly: true,
  summary: 'Returns the public key of an asymmetric key (DER SubjectPublicKeyInfo) with its spec, usage and algorithms.',
  input: () => z.object({ KeyId, GrantTokens: GrantTokens.optional() }).strict(),
  output: () => z.object({
    KeyId: z.string(),
    PublicKey: Bytes,
    CustomerMasterKeySpec: z.enum(KEY_SPECS),
    KeySpec: z.enum(KEY_SPECS),
    KeyUsage: z.enum(KEY_USAGES),
    EncryptionAlgorithms: z.array(z.enum(ENCRYPTION_ALGORITHMS)).optional(),
    SigningAlgorithms: z.array(z.enum(SIGNING_ALGORITHMS)).optional(),
    KeyAgreementAlgorithms: z.array(z.enum(KEY_AGREEMENT_ALGORITHMS)).optional(),
  }),
});

export const ExportPublicKey = operation({
  name: 'ExportPublicKey',
  action: 'kms:GetPublicKey',
  readOnly: true,
  summary: 'Strongroom: exports the public key of an asymmetric key as pem, der (base64), jwk, ssh or age, with its SHA-256 fingerprint.',
  input: () => z
    .object({
      KeyId,
      Format: z.enum(PUBLIC_KEY_FORMATS).meta({ description: 'pem | der | jwk | ssh | age' }),
      GrantTokens: GrantTokens.optional(),
    })
    .strict(),
  output: () => z.object({
    KeyId: z.string(),
    KeySpec: z.enum(KEY_SPECS),
    KeyUsage: z.enum(KEY_USAGES),
    Format: z.enum(PUBLIC_KEY_FORMATS),
    PublicKey: z.string().meta({ description: 'The key as text: PEM, base64 DER, JWK JSON, an OpenSSH line, or an age recipient.' }),
    Fingerprint: z.string(),
    FingerprintType: z.enum(FINGERPRINT_TYPES).meta({ description: 'SPKI_SHA256_HEX, JWK_THUMBPRINT_SHA256 (RFC 7638) or OPENSSH_SHA256 (as ssh-keygen -l prints).' }),
  }),
});
