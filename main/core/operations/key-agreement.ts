// DeriveSharedSecret (AWS KMS API Reference) with KEY_AGREEMENT keys:
// ECDH on ECC_NIST_P256/P384/P521 (the raw x-coordinate, NIST SP 800-56A
// §5.7.1.2) and X25519 on ECC_X25519 (RFC 7748). The peer's public key is a
// DER SubjectPublicKeyInfo on the same curve, else ValidationException.
import { keyArn } from '../codecs/arn.js';
import { PeerKeyError } from '../kms/asymmetric/index.js';
import { openAsymmetric } from '../kms/asymmetric/vault-key.js';
import { validation } from '../errors.js';
import { requireUsable } from '../kms/key-state.js';
import { requireAlgorithm, requireUsage } from '../kms/key-specs.js';
import type { Handler } from '../service/operation.js';

export const DeriveSharedSecret: Handler<'DeriveSharedSecret'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { context: { 'kms:keyagreementalgorithm': input.KeyAgreementAlgorithm } });
  requireUsage(key, 'KEY_AGREEMENT', 'DeriveSharedSecret');
  requireAlgorithm(key, input.KeyAgreementAlgorithm, 'key agreement');
  requireUsable(key);
  const opened = await openAsymmetric(ctx, key);
  let secret: Buffer;
  try {
    secret = opened.derive(input.PublicKey);
  } catch (e) {
    if (e instanceof PeerKeyError) throw validation(`${e.message} The peer key must use the same curve as ${keyArn(key)} (${key.keySpec}).`);
    throw e;
  }
  return { KeyId: keyArn(key), SharedSecret: secret, KeyAgreementAlgorithm: input.KeyAgreementAlgorithm, KeyOrigin: key.origin };
};
