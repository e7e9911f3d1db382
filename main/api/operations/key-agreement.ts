// DeriveSharedSecret (AWS KMS API Reference) with KEY_AGREEMENT keys:
// ECDH on ECC_NIST_P256/P384/P521 (the raw x-coordinate, NIST SP 800-56A
// §5.7.1.2) and X25519 on ECC_X25519 (RFC 7748). The peer's public key is a
// DER SubjectPublicKeyInfo on the same curve, else ValidationException.
import { z } from 'zod';
import { KEY_AGREEMENT_ALGORITHMS, ORIGINS } from '../enums.js';
import { operation } from '../operation.js';
import { blob, Bytes, DryRun, GrantTokens, KeyId } from '../fields.js';

export const DeriveSharedSecret = operation({
  name: 'DeriveSharedSecret',
  action: 'kms:DeriveSharedSecret',
  summary: "Derives the raw ECDH shared secret of a KEY_AGREEMENT key and a peer's public key.",
  input: () => z
    .object({
      KeyId,
      KeyAgreementAlgorithm: z.enum(KEY_AGREEMENT_ALGORITHMS).meta({ description: 'ECDH' }),
      PublicKey: blob("The peer's public key: DER SubjectPublicKeyInfo on the key's curve.", 8192),
      GrantTokens: GrantTokens.optional(),
      DryRun: DryRun.optional(),
    })
    .strict(),
  output: () => z.object({ KeyId: z.string(), SharedSecret: Bytes, KeyAgreementAlgorithm: z.enum(KEY_AGREEMENT_ALGORITHMS), KeyOrigin: z.enum(ORIGINS) }),
});
