// Importing known key material in-process, wrapped the way AWS's import
// docs describe (RSA-OAEP, or RSA-OAEP of an AES key + RFC 5649 AES-KWP via
// node:crypto's id-aes256-wrap-pad): for tests and benchmarks that need a
// vault key whose private material they also hold.
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import type { KeySpec, KeyUsage, WrappingAlgorithm, WrappingKeySpec } from '../../main/api/enums.js';
import type { OutputOf } from '../../main/api/index.js';
import type { Call } from './call-as.js';

export type { WrappingAlgorithm };

export function wrapMaterial(publicKeyDer: Uint8Array, alg: WrappingAlgorithm, material: Uint8Array): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  const oaep = (b: Uint8Array) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: alg.endsWith('SHA_1') ? 'sha1' : 'sha256' }, b);
  if (alg.startsWith('RSAES_OAEP')) return oaep(material);
  const aes = randomBytes(32);
  const c = createCipheriv('id-aes256-wrap-pad', aes, Buffer.from('A65959A6', 'hex'));
  const wrapped = Buffer.concat([c.update(material), c.final()]);
  return Buffer.concat([oaep(aes), wrapped]);
}

interface ImportOptions {
  WrappingAlgorithm?: WrappingAlgorithm;
  WrappingKeySpec?: WrappingKeySpec;
  ExpirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  ValidTo?: Date;
}

/** GetParametersForImport, wrap, ImportKeyMaterial; ImportKeyMaterial's output. */
export async function importMaterial(t: { call: Call }, KeyId: string, material: Uint8Array, opts: ImportOptions = {}): Promise<OutputOf<'ImportKeyMaterial'>> {
  const WrappingAlgorithm = opts.WrappingAlgorithm ?? 'RSA_AES_KEY_WRAP_SHA_256';
  const params = await t.call('GetParametersForImport', { KeyId, WrappingAlgorithm, WrappingKeySpec: opts.WrappingKeySpec ?? 'RSA_2048' });
  return t.call('ImportKeyMaterial', {
    KeyId,
    ImportToken: params.ImportToken,
    EncryptedKeyMaterial: wrapMaterial(params.PublicKey, WrappingAlgorithm, material),
    ...(opts.ValidTo ? { ValidTo: opts.ValidTo, ExpirationModel: opts.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES' } : { ExpirationModel: opts.ExpirationModel ?? 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
  });
}

/** CreateKey with Origin EXTERNAL, then import `material` into it. */
export async function createImportedKey(t: { call: Call }, KeySpec: KeySpec, KeyUsage: KeyUsage, material: Uint8Array, opts: ImportOptions = {}): Promise<{ KeyId: string; Arn: string }> {
  const { KeyMetadata } = await t.call('CreateKey', { KeySpec, KeyUsage, Origin: 'EXTERNAL' });
  await importMaterial(t, KeyMetadata.KeyId, material, opts);
  return KeyMetadata;
}
