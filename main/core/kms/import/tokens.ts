// Import tokens (GetParametersForImport → ImportKeyMaterial). Each token
// names one RSA wrapping key pair made for one key; the private half is
// sealed under the tenant key with associated data binding it to the
// account, region, key, token, wrapping algorithm and key spec, and kept
// 24 hours (AWS: "the import token and public key are valid for 24 hours").
//
// ImportToken (opaque to callers):  0x01 ‖ key id (16 bytes, UUID) ‖ token id (32 random bytes)
import type { WrappingAlgorithm, WrappingKeySpec } from '../../../api/enums.js';
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { keyArn } from '../../codecs/arn.js';
import { generateRsa } from '../asymmetric/rsa.js';
import { open, seal } from '../../crypto/aes-gcm.js';
import { KmsError } from '../../errors.js';
import type { ImportTokenRecord, KeyRecord } from '../../model.js';

const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
const TOKEN_VERSION = 0x01;
const TOKEN_LENGTH = 1 + 16 + 32;

const aad = (t: Pick<ImportTokenRecord, 'account' | 'keyId' | 'tokenId' | 'wrappingAlgorithm' | 'wrappingKeySpec'>, region: string) =>
  Buffer.from(`strongroom/import-wrapping-key/v1\0${t.account}\0${region}\0${t.keyId}\0${t.tokenId}\0${t.wrappingAlgorithm}\0${t.wrappingKeySpec}`);

const invalidToken = (m: string) => new KmsError('InvalidImportTokenException', m);

function encodeImportToken(keyId: string, tokenId: string): Buffer {
  return Buffer.concat([Buffer.from([TOKEN_VERSION]), Buffer.from(keyId.replace(/-/g, ''), 'hex'), Buffer.from(tokenId, 'hex')]);
}

/** The token id an ImportToken carries; InvalidImportTokenException if it is not one of ours. */
export function decodeImportToken(token: Uint8Array): { keyId: string; tokenId: string } {
  if (token.length !== TOKEN_LENGTH || token[0] !== TOKEN_VERSION) throw invalidToken('The ImportToken is not one GetParametersForImport returned; pass it unchanged.');
  const h = Buffer.from(token.subarray(1, 17)).toString('hex');
  return { keyId: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`, tokenId: Buffer.from(token.subarray(17)).toString('hex') };
}

/** A new wrapping key pair and its token record; `tenantKey` seals the private key. */
export async function newImportToken(
  tenantKey: KeyObject,
  key: KeyRecord,
  wrappingAlgorithm: WrappingAlgorithm,
  wrappingKeySpec: WrappingKeySpec,
  now: number,
): Promise<{ record: ImportTokenRecord; token: Buffer; publicKey: Buffer }> {
  const { pkcs8, spki } = await generateRsa(Number(wrappingKeySpec.slice(4)));
  const base = { account: key.account, keyId: key.keyId, tokenId: randomBytes(32).toString('hex'), wrappingAlgorithm, wrappingKeySpec };
  try {
    const record: ImportTokenRecord = { ...base, wrappedPrivateKey: seal(tenantKey, pkcs8, aad(base, key.region)), createdAt: now, expiresAt: now + TOKEN_LIFETIME_MS };
    return { record, token: encodeImportToken(key.keyId, base.tokenId), publicKey: spki };
  } finally {
    pkcs8.fill(0);
  }
}

/**
 * Checks a token record against the key and the time, and opens its
 * wrapping private key. InvalidImportTokenException for another key's token,
 * ExpiredImportTokenException past its 24 hours.
 */
export function openImportToken(tenantKey: KeyObject, key: KeyRecord, record: ImportTokenRecord | undefined, now: number): KeyObject {
  if (!record) throw invalidToken('The ImportToken is not valid: it names no import parameters of this account (they may have expired and been removed).');
  if (record.keyId !== key.keyId) {
    throw invalidToken(`The ImportToken belongs to another key, not ${keyArn(key)}; call GetParametersForImport for this key.`);
  }
  if (record.expiresAt <= now) {
    throw new KmsError('ExpiredImportTokenException', `The ImportToken expired at ${new Date(record.expiresAt).toISOString()}; call GetParametersForImport for a new one and wrap the material again.`);
  }
  const pkcs8 = open(tenantKey, record.wrappedPrivateKey, aad(record, key.region));
  if (!pkcs8) throw new KmsError('KMSInternalException', 'The stored import wrapping key failed its integrity check; the vault may have been tampered with.');
  try {
    return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  } finally {
    pkcs8.fill(0);
  }
}
