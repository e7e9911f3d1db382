// Sign and Verify (AWS KMS API Reference) with asymmetric SIGN_VERIFY keys:
// RSA (PSS, PKCS#1 v1.5), ECDSA on the NIST curves and secp256k1 (DER
// signatures), Ed25519 (pure over RAW, Ed25519ph over a SHA-512 DIGEST),
// ML-DSA (RAW or EXTERNAL_MU). Key spec, usage, algorithm and message rules
// are in key-specs.ts; the primitives in asymmetric/.
import { z } from 'zod';
import { MAX_SIGN_MESSAGE } from '../limits.js';
import { MESSAGE_TYPES, SIGNING_ALGORITHMS } from '../enums.js';
import { operation } from '../operation.js';
import { blob, Bytes, DryRun, GrantTokens, KeyId } from '../fields.js';

const Message = blob(`The message (RAW, at most ${MAX_SIGN_MESSAGE} bytes), its digest (DIGEST) or an ML-DSA μ (EXTERNAL_MU).`, MAX_SIGN_MESSAGE);
const MessageTypeField = z.enum(MESSAGE_TYPES).meta({ description: 'RAW (default), DIGEST, or EXTERNAL_MU (ML-DSA only).' });
const SigningAlgorithmField = z.enum(SIGNING_ALGORITHMS).meta({ description: 'A signing algorithm of the key (DescribeKey SigningAlgorithms).' });
/** AWS allows signatures of up to 6144 bytes (Verify "Signature"). */
const MAX_SIGNATURE = 6144;


export const Sign = operation({
  name: 'Sign',
  action: 'kms:Sign',
  summary: 'Signs a message or message digest with the private key of an asymmetric SIGN_VERIFY key.',
  input: () => z
    .object({
      KeyId,
      Message,
      MessageType: MessageTypeField.optional(),
      SigningAlgorithm: SigningAlgorithmField,
      GrantTokens: GrantTokens.optional(),
      DryRun: DryRun.optional(),
    })
    .strict(),
  output: () => z.object({ KeyId: z.string(), Signature: Bytes, SigningAlgorithm: z.enum(SIGNING_ALGORITHMS) }),
});

export const Verify = operation({
  name: 'Verify',
  action: 'kms:Verify',
  readOnly: true,
  summary: 'Verifies a signature made with an asymmetric SIGN_VERIFY key (KMSInvalidSignatureException if it does not verify).',
  input: () => z
    .object({
      KeyId,
      Message,
      MessageType: MessageTypeField.optional(),
      Signature: blob(`The signature to verify, at most ${MAX_SIGNATURE} bytes.`, MAX_SIGNATURE),
      SigningAlgorithm: SigningAlgorithmField,
      GrantTokens: GrantTokens.optional(),
      DryRun: DryRun.optional(),
    })
    .strict(),
  output: () => z.object({ KeyId: z.string(), SignatureValid: z.boolean(), SigningAlgorithm: z.enum(SIGNING_ALGORITHMS) }),
});
