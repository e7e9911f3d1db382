// GetPublicKey (AWS KMS API Reference) and ExportPublicKey, a Strongroom
// operation that hands the same public key out in the formats partners'
// tools read (PEM/DER SubjectPublicKeyInfo, JWK, OpenSSH, age recipient),
// with the fingerprint those tools print. Both are authorized as
// kms:GetPublicKey.
import { z } from 'zod';
import { keyArn } from '../arn.js';
import { openAsymmetric } from '../asymmetric/vault-key.js';
import type { OpContext } from '../context.js';
import { KmsError } from '../errors.js';
import { requireUsable } from '../key-state.js';
import { algorithmFields, isAsymmetric } from '../key-specs.js';
import { defineOperation } from '../operation.js';
import { exportPublicKey, PUBLIC_KEY_FORMATS } from '../public-key-formats.js';
import { Bytes, GrantTokens, KeyId } from '../../api/fields.js';

async function publicKeyOf(ctx: OpContext, ref: string) {
  const key = await ctx.key(ref, { action: 'kms:GetPublicKey' });
  if (!isAsymmetric(key.keySpec)) {
    throw new KmsError('UnsupportedOperationException', `${keyArn(key, key.keyId)} is a ${key.keySpec} key, which has no public key; GetPublicKey needs an asymmetric key.`);
  }
  requireUsable(key);
  return { key, spki: (await openAsymmetric(ctx, key)).spki };
}

export const GetPublicKey = defineOperation({
  name: 'GetPublicKey',
  action: 'kms:GetPublicKey',
  readOnly: true,
  summary: 'Returns the public key of an asymmetric key (DER SubjectPublicKeyInfo) with its spec, usage and algorithms.',
  input: z.object({ KeyId, GrantTokens: GrantTokens.optional() }).strict(),
  output: z.object({
    KeyId: z.string(),
    PublicKey: Bytes,
    CustomerMasterKeySpec: z.string(),
    KeySpec: z.string(),
    KeyUsage: z.string(),
    EncryptionAlgorithms: z.array(z.string()).optional(),
    SigningAlgorithms: z.array(z.string()).optional(),
    KeyAgreementAlgorithms: z.array(z.string()).optional(),
  }),
  async handler(ctx, input) {
    const { key, spki } = await publicKeyOf(ctx, input.KeyId);
    return {
      KeyId: keyArn(key, key.keyId),
      PublicKey: Buffer.from(spki),
      CustomerMasterKeySpec: key.keySpec,
      KeySpec: key.keySpec,
      KeyUsage: key.keyUsage,
      ...algorithmFields(key),
    };
  },
});

export const ExportPublicKey = defineOperation({
  name: 'ExportPublicKey',
  action: 'kms:GetPublicKey',
  readOnly: true,
  summary: 'Strongroom: exports the public key of an asymmetric key as pem, der (base64), jwk, ssh or age, with its SHA-256 fingerprint.',
  input: z
    .object({
      KeyId,
      Format: z.enum(PUBLIC_KEY_FORMATS).meta({ description: 'pem | der | jwk | ssh | age' }),
      GrantTokens: GrantTokens.optional(),
    })
    .strict(),
  output: z.object({
    KeyId: z.string(),
    KeySpec: z.string(),
    KeyUsage: z.string(),
    Format: z.string(),
    PublicKey: z.string().meta({ description: 'The key as text: PEM, base64 DER, JWK JSON, an OpenSSH line, or an age recipient.' }),
    Fingerprint: z.string(),
    FingerprintType: z.string().meta({ description: 'SPKI_SHA256_HEX, JWK_THUMBPRINT_SHA256 (RFC 7638) or OPENSSH_SHA256 (as ssh-keygen -l prints).' }),
  }),
  async handler(ctx, input) {
    const { key, spki } = await publicKeyOf(ctx, input.KeyId);
    const arn = keyArn(key, key.keyId);
    const out = exportPublicKey(key.keySpec, key.keyUsage, spki, input.Format, { kid: key.keyId, comment: arn });
    return {
      KeyId: arn,
      KeySpec: key.keySpec,
      KeyUsage: key.keyUsage,
      Format: input.Format,
      PublicKey: out.publicKey,
      Fingerprint: out.fingerprint,
      FingerprintType: out.fingerprintType,
    };
  },
});
