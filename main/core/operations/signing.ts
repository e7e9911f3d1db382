// Sign and Verify (AWS KMS API Reference) with asymmetric SIGN_VERIFY keys:
// RSA (PSS, PKCS#1 v1.5), ECDSA on the NIST curves and secp256k1 (DER
// signatures), Ed25519 (pure over RAW, Ed25519ph over a SHA-512 DIGEST),
// ML-DSA (RAW or EXTERNAL_MU). Key spec, usage, algorithm and message rules
// are in key-specs.ts; the primitives in asymmetric/.
import { z } from 'zod';
import { keyArn } from '../arn.js';
import { openAsymmetric } from '../asymmetric/vault-key.js';
import type { OpContext } from '../context.js';
import { KmsError } from '../errors.js';
import { requireUsable } from '../key-state.js';
import { checkMessage, MAX_SIGN_MESSAGE, requireAlgorithm, requireUsage } from '../key-specs.js';
import { MESSAGE_TYPES, SIGNING_ALGORITHMS, type MessageType, type SigningAlgorithm } from '../../api/enums.js';
import { defineOperation } from '../operation.js';
import { blob, Bytes, GrantTokens, KeyId } from '../../api/fields.js';

const Message = blob(`The message (RAW, at most ${MAX_SIGN_MESSAGE} bytes), its digest (DIGEST) or an ML-DSA μ (EXTERNAL_MU).`, MAX_SIGN_MESSAGE);
const MessageTypeField = z.enum(MESSAGE_TYPES).meta({ description: 'RAW (default), DIGEST, or EXTERNAL_MU (ML-DSA only).' });
const SigningAlgorithmField = z.enum(SIGNING_ALGORITHMS).meta({ description: 'A signing algorithm of the key (DescribeKey SigningAlgorithms).' });
/** AWS allows signatures of up to 6144 bytes (Verify "Signature"). */
const MAX_SIGNATURE = 6144;

async function signingKey(ctx: OpContext, ref: string, alg: SigningAlgorithm, type: MessageType, message: Uint8Array, operation: string) {
  const key = await ctx.key(ref, { context: { 'kms:signingalgorithm': alg, 'kms:messagetype': type } });
  requireUsage(key, 'SIGN_VERIFY', operation);
  requireAlgorithm(key, alg, 'signing');
  requireUsable(key);
  checkMessage(alg, type, message);
  return { key, opened: await openAsymmetric(ctx, key) };
}

export const Sign = defineOperation({
  name: 'Sign',
  action: 'kms:Sign',
  summary: 'Signs a message or message digest with the private key of an asymmetric SIGN_VERIFY key.',
  input: z
    .object({
      KeyId,
      Message,
      MessageType: MessageTypeField.optional(),
      SigningAlgorithm: SigningAlgorithmField,
      GrantTokens: GrantTokens.optional(),
    })
    .strict(),
  output: z.object({ KeyId: z.string(), Signature: Bytes, SigningAlgorithm: z.string() }),
  async handler(ctx, input) {
    const type = input.MessageType ?? 'RAW';
    const { key, opened } = await signingKey(ctx, input.KeyId, input.SigningAlgorithm, type, input.Message, 'Sign');
    const signature = await opened.sign(input.SigningAlgorithm, input.Message, type);
    return { KeyId: keyArn(key, key.keyId), Signature: signature, SigningAlgorithm: input.SigningAlgorithm };
  },
});

export const Verify = defineOperation({
  name: 'Verify',
  action: 'kms:Verify',
  readOnly: true,
  summary: 'Verifies a signature made with an asymmetric SIGN_VERIFY key (KMSInvalidSignatureException if it does not verify).',
  input: z
    .object({
      KeyId,
      Message,
      MessageType: MessageTypeField.optional(),
      Signature: blob(`The signature to verify, at most ${MAX_SIGNATURE} bytes.`, MAX_SIGNATURE),
      SigningAlgorithm: SigningAlgorithmField,
      GrantTokens: GrantTokens.optional(),
    })
    .strict(),
  output: z.object({ KeyId: z.string(), SignatureValid: z.boolean(), SigningAlgorithm: z.string() }),
  async handler(ctx, input) {
    const type = input.MessageType ?? 'RAW';
    const { key, opened } = await signingKey(ctx, input.KeyId, input.SigningAlgorithm, type, input.Message, 'Verify');
    if (!(await opened.verify(input.SigningAlgorithm, input.Message, type, input.Signature))) {
      throw new KmsError(
        'KMSInvalidSignatureException',
        `The signature does not verify with ${keyArn(key, key.keyId)} and ${input.SigningAlgorithm} (MessageType ${type}): the message, signature, key or algorithm differs from the one that signed.`,
      );
    }
    return { KeyId: keyArn(key, key.keyId), SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
  },
});
