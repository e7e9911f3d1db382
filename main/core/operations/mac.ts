// GenerateMac and VerifyMac (AWS KMS API Reference) with HMAC_224/256/384/512
// keys (KeyUsage GENERATE_VERIFY_MAC).
import { z } from 'zod';
import { keyArn } from '../arn.js';
import { openHmacKey } from '../asymmetric/vault-key.js';
import type { OpContext } from '../context.js';
import { hmac, hmacVerify } from '../crypto/hmac.js';
import { KmsError } from '../errors.js';
import { requireUsable } from '../key-state.js';
import { requireAlgorithm, requireUsage } from '../key-specs.js';
import { MAC_ALGORITHMS, type MacAlgorithm } from '../../api/enums.js';
import { defineOperation } from '../operation.js';
import { blob, Bytes, GrantTokens, KeyId } from '../../api/fields.js';

const Message = blob('The message, 1 to 4096 bytes.', 4096);
const MacAlgorithmField = z.enum(MAC_ALGORITHMS).meta({ description: 'The MAC algorithm of the key (DescribeKey MacAlgorithms).' });

async function macKey(ctx: OpContext, ref: string, alg: MacAlgorithm, operation: string) {
  const key = await ctx.key(ref, { context: { 'kms:macalgorithm': alg } });
  requireUsage(key, 'GENERATE_VERIFY_MAC', operation);
  requireAlgorithm(key, alg, 'MAC');
  requireUsable(key);
  return { key, secret: await openHmacKey(ctx, key) };
}

export const GenerateMac = defineOperation({
  name: 'GenerateMac',
  action: 'kms:GenerateMac',
  summary: 'Computes the HMAC of a message with an HMAC key.',
  input: z.object({ Message, KeyId, MacAlgorithm: MacAlgorithmField, GrantTokens: GrantTokens.optional() }).strict(),
  output: z.object({ Mac: Bytes, MacAlgorithm: z.string(), KeyId: z.string() }),
  async handler(ctx, input) {
    const { key, secret } = await macKey(ctx, input.KeyId, input.MacAlgorithm, 'GenerateMac');
    return { Mac: hmac(input.MacAlgorithm, secret, input.Message), MacAlgorithm: input.MacAlgorithm, KeyId: keyArn(key, key.keyId) };
  },
});

export const VerifyMac = defineOperation({
  name: 'VerifyMac',
  action: 'kms:VerifyMac',
  readOnly: true,
  summary: 'Verifies an HMAC made with an HMAC key (KMSInvalidMacException if it does not verify).',
  input: z
    .object({
      Message,
      KeyId,
      MacAlgorithm: MacAlgorithmField,
      Mac: blob('The HMAC to verify, 1 to 6144 bytes.', 6144),
      GrantTokens: GrantTokens.optional(),
    })
    .strict(),
  output: z.object({ KeyId: z.string(), MacValid: z.boolean(), MacAlgorithm: z.string() }),
  async handler(ctx, input) {
    const { key, secret } = await macKey(ctx, input.KeyId, input.MacAlgorithm, 'VerifyMac');
    if (!hmacVerify(input.MacAlgorithm, secret, input.Message, input.Mac)) {
      throw new KmsError('KMSInvalidMacException', `The MAC does not verify with ${keyArn(key, key.keyId)} and ${input.MacAlgorithm}: the message, MAC, key or algorithm differs.`);
    }
    return { KeyId: keyArn(key, key.keyId), MacValid: true, MacAlgorithm: input.MacAlgorithm };
  },
});
