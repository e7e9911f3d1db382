// The one key operation age decryption needs that AWS's API has no shape
// for: unwrapping the file key of an age `ssh-rsa` stanza, which is
// RSAES-OAEP with SHA-256/MGF1-SHA-256 and the label
// "age-encryption.org/v1/ssh-rsa" (age spec, "The ssh-rsa recipient type";
// C2SP age.md). AWS's Decrypt has no label parameter, and adding one to the
// public Decrypt would move Strongroom's API away from AWS's, so this is an
// *internal* operation: it is deliberately not in the operation table
// (operations/index.ts), so no adapter (CLI, IPC) can reach it by name; the
// vault's age decryption (main/files/age-decrypt.ts) runs it through
// Service.callInternal, which applies the same sign-in, validation,
// authorization (as kms:Decrypt on the key) and error handling as call().
// The private key never leaves the core; only the 16-byte file key does.
//
// X25519 stanzas need no such path: their key agreement is the public
// DeriveSharedSecret (kms:DeriveSharedSecret).
import { z } from 'zod';
import { keyArn } from '../codecs/arn.js';
import { openAsymmetric } from './asymmetric/vault-key.js';
import { invalidCiphertext, KmsError } from '../errors.js';
import { requireUsable } from './key-state.js';
import { familyOf, requireUsage } from './key-specs.js';
import { internalOperation } from '../service/operation.js';
import { blob, Bytes, KeyId } from '../../api/fields.js';

const AGE_SSH_RSA_LABEL = Buffer.from('age-encryption.org/v1/ssh-rsa');
/** age file keys are 16 bytes (age spec, "File key") */
export const AGE_FILE_KEY_LENGTH = 16;

export const DecryptAgeSshRsaStanza = internalOperation({
  name: 'DecryptAgeSshRsaStanza',
  action: 'kms:Decrypt',
  summary: 'Internal: unwraps the file key of an age ssh-rsa stanza with an RSA ENCRYPT_DECRYPT key.',
  input: z.object({ KeyId, Body: blob('The stanza body: the RSA-OAEP ciphertext of the file key.', 1024) }).strict(),
  // "Plaintext", as Decrypt's: the audit trail redacts it by name
  output: z.object({ KeyId: z.string(), Plaintext: Bytes }),
  async handler(ctx, input) {
    const key = await ctx.key(input.KeyId, { context: { 'kms:encryptionalgorithm': 'RSAES_OAEP_SHA_256' } });
    requireUsage(key, 'ENCRYPT_DECRYPT', 'age ssh-rsa decryption');
    if (familyOf(key.keySpec) !== 'rsa') {
      throw new KmsError('InvalidKeyUsageException', `${keyArn(key)} is a ${key.keySpec} key; age ssh-rsa stanzas need an RSA key.`);
    }
    requireUsable(key);
    const fileKey = (await openAsymmetric(ctx, key)).decrypt('RSAES_OAEP_SHA_256', input.Body, AGE_SSH_RSA_LABEL);
    if (!fileKey || fileKey.length !== AGE_FILE_KEY_LENGTH) {
      fileKey?.fill(0);
      throw invalidCiphertext(`The age ssh-rsa stanza names ${keyArn(key)} but does not decrypt with it: the file is corrupted or was not made for this key.`);
    }
    return { KeyId: keyArn(key), Plaintext: fileKey };
  },
});
