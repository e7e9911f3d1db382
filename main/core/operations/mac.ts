// GenerateMac and VerifyMac (AWS KMS API Reference) with HMAC_224/256/384/512
// keys (KeyUsage GENERATE_VERIFY_MAC).
import { keyArn } from '../codecs/arn.js';
import { openHmacKey } from '../kms/asymmetric/vault-key.js';
import type { OpContext } from '../service/context.js';
import { hmac, hmacVerify } from '../crypto/hmac.js';
import { KmsError } from '../errors.js';
import { requireUsable } from '../kms/key-state.js';
import { requireAlgorithm, requireUsage } from '../kms/key-specs.js';
import { type MacAlgorithm } from '../../api/enums.js';
import type { Handler } from '../service/operation.js';


async function macKey(ctx: OpContext, ref: string, alg: MacAlgorithm, operation: string) {
  const key = await ctx.key(ref, { context: { 'kms:macalgorithm': alg } });
  requireUsage(key, 'GENERATE_VERIFY_MAC', operation);
  requireAlgorithm(key, alg, 'MAC');
  requireUsable(key);
  return { key, secret: await openHmacKey(ctx, key) };
}

export const GenerateMac: Handler<'GenerateMac'> = async (ctx, input) => {
  const { key, secret } = await macKey(ctx, input.KeyId, input.MacAlgorithm, 'GenerateMac');
  return { Mac: hmac(input.MacAlgorithm, secret, input.Message), MacAlgorithm: input.MacAlgorithm, KeyId: keyArn(key) };
};

export const VerifyMac: Handler<'VerifyMac'> = async (ctx, input) => {
  const { key, secret } = await macKey(ctx, input.KeyId, input.MacAlgorithm, 'VerifyMac');
  if (!hmacVerify(input.MacAlgorithm, secret, input.Message, input.Mac)) {
    throw new KmsError('KMSInvalidMacException', `The MAC does not verify with ${keyArn(key)} and ${input.MacAlgorithm}: the message, MAC, key or algorithm differs.`);
  }
  return { KeyId: keyArn(key), MacValid: true, MacAlgorithm: input.MacAlgorithm };
};
