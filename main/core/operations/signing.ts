// Sign and Verify (AWS KMS API Reference) with asymmetric SIGN_VERIFY keys:
// RSA (PSS, PKCS#1 v1.5), ECDSA on the NIST curves and secp256k1 (DER
// signatures), Ed25519 (pure over RAW, Ed25519ph over a SHA-512 DIGEST),
// ML-DSA (RAW or EXTERNAL_MU). Key spec, usage, algorithm and message rules
// are in key-specs.ts; the primitives in asymmetric/.
import { keyArn } from '../codecs/arn.js';
import { openAsymmetric } from '../kms/asymmetric/vault-key.js';
import type { OpContext } from '../service/context.js';
import { KmsError } from '../errors.js';
import { requireUsable } from '../kms/key-state.js';
import { checkMessage, requireAlgorithm, requireUsage } from '../kms/key-specs.js';
import { type MessageType, type SigningAlgorithm } from '../../api/enums.js';
import type { Handler } from '../service/operation.js';


async function signingKey(ctx: OpContext, ref: string, alg: SigningAlgorithm, type: MessageType, message: Uint8Array, operation: string) {
  const key = await ctx.key(ref, { context: { 'kms:signingalgorithm': alg, 'kms:messagetype': type } });
  requireUsage(key, 'SIGN_VERIFY', operation);
  requireAlgorithm(key, alg, 'signing');
  requireUsable(key);
  checkMessage(alg, type, message);
  return { key, opened: await openAsymmetric(ctx, key) };
}

export const Sign: Handler<'Sign'> = async (ctx, input) => {
  const type = input.MessageType ?? 'RAW';
  const { key, opened } = await signingKey(ctx, input.KeyId, input.SigningAlgorithm, type, input.Message, 'Sign');
  const signature = await opened.sign(input.SigningAlgorithm, input.Message, type);
  return { KeyId: keyArn(key), Signature: signature, SigningAlgorithm: input.SigningAlgorithm };
};

export const Verify: Handler<'Verify'> = async (ctx, input) => {
  const type = input.MessageType ?? 'RAW';
  const { key, opened } = await signingKey(ctx, input.KeyId, input.SigningAlgorithm, type, input.Message, 'Verify');
  if (!(await opened.verify(input.SigningAlgorithm, input.Message, type, input.Signature))) {
    throw new KmsError(
      'KMSInvalidSignatureException',
      `The signature does not verify with ${keyArn(key)} and ${input.SigningAlgorithm} (MessageType ${type}): the message, signature, key or algorithm differs from the one that signed.`,
    );
  }
  return { KeyId: keyArn(key), SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
};
