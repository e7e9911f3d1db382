// GetPublicKey (AWS KMS API Reference) and ExportPublicKey, a Strongroom
// operation that hands the same public key out in the formats partners'
// tools read (PEM/DER SubjectPublicKeyInfo, JWK, OpenSSH, age recipient),
// with the fingerprint those tools print. Both are authorized as
// kms:GetPublicKey.
import { keyArn } from '../codecs/arn.js';
import { openAsymmetric } from '../kms/asymmetric/vault-key.js';
import type { OpContext } from '../service/context.js';
import { KmsError } from '../errors.js';
import { requireUsable } from '../kms/key-state.js';
import { algorithmFields, isAsymmetric } from '../kms/key-specs.js';
import type { Handler } from '../service/operation.js';

async function publicKeyOf(ctx: OpContext, ref: string) {
  const key = await ctx.key(ref, { action: 'kms:GetPublicKey' });
  if (!isAsymmetric(key.keySpec)) {
    throw new KmsError('UnsupportedOperationException', `${keyArn(key)} is a ${key.keySpec} key, which has no public key; GetPublicKey needs an asymmetric key.`);
  }
  requireUsable(key);
  return { key, spki: (await openAsymmetric(ctx, key)).spki };
}

export const GetPublicKey: Handler<'GetPublicKey'> = async (ctx, input) => {
  const { key, spki } = await publicKeyOf(ctx, input.KeyId);
  return {
    KeyId: keyArn(key),
    PublicKey: Buffer.from(spki),
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    ...algorithmFields(key),
  };
};

export const ExportPublicKey: Handler<'ExportPublicKey'> = async (ctx, input) => {
  const { key, spki } = await publicKeyOf(ctx, input.KeyId);
  const arn = keyArn(key);
  // imported here, not with the handlers: it loads @noble and @scure, which no other operation needs (issue 14)
  const { exportPublicKey } = await import('../codecs/public-key-formats.js');
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
};
