// GenerateMac and VerifyMac (AWS KMS API Reference) with HMAC_224/256/384/512
// keys (KeyUsage GENERATE_VERIFY_MAC).
import { z } from 'zod';
import { MAC_ALGORITHMS } from '../enums.js';
import { operation } from '../operation.js';
import { blob, Bytes, DryRun, GrantTokens, KeyId } from '../fields.js';

const Message = blob('The message, 1 to 4096 bytes.', 4096);
const MacAlgorithmField = z.enum(MAC_ALGORITHMS).meta({ description: 'The MAC algorithm of the key (DescribeKey MacAlgorithms).' });


export const GenerateMac = operation({
  name: 'GenerateMac',
  action: 'kms:GenerateMac',
  summary: 'Computes the HMAC of a message with an HMAC key.',
  input: () => z.object({ Message, KeyId, MacAlgorithm: MacAlgorithmField, GrantTokens: GrantTokens.optional(), DryRun: DryRun.optional() }).strict(),
  output: () => z.object({ Mac: Bytes, MacAlgorithm: z.enum(MAC_ALGORITHMS), KeyId: z.string() }),
});

export const VerifyMac = operation({
  name: 'VerifyMac',
  action: 'kms:VerifyMac',
  readOnly: true,
  summary: 'Verifies an HMAC made with an HMAC key (KMSInvalidMacException if it does not verify).',
  input: () => z
    .object({
      Message,
      KeyId,
      MacAlgorithm: MacAlgorithmField,
      Mac: blob('The HMAC to verify, 1 to 6144 bytes.', 6144),
      GrantTokens: GrantTokens.optional(),
      DryRun: DryRun.optional(),
    })
    .strict(),
  output: () => z.object({ KeyId: z.string(), MacValid: z.boolean(), MacAlgorithm: z.enum(MAC_ALGORITHMS) }),
});
