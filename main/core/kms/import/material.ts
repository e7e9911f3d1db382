// What imported material must be for each key spec (AWS KMS Developer
// Guide, "Requirements for imported key material"): SYMMETRIC_DEFAULT 256
// bits; HMAC_224/256/384/512 28–64, 32–64, 48–128, 64–128 bytes; asymmetric
// specs the private key as DER PKCS#8 of exactly that spec (RSA modulus
// size, curve), which must work as a key pair. Anything else is
// IncorrectKeyMaterialException. Re-imports must be the same material:
// the vault keeps a keyed commitment (HMAC-SHA-256 under a key derived from
// the tenant key) of the first import, never the material itself.
import { createHmac, hkdfSync, type KeyObject } from 'node:crypto';
import { checkImportedPrivateKey } from '../asymmetric/index.js';
import { KmsError } from '../../errors.js';
import { familyOf, HMAC_KEY_BYTES } from '../key-specs.js';
import type { KeyRecord } from '../../model.js';

const incorrect = (m: string) => new KmsError('IncorrectKeyMaterialException', m);

/**
 * Checks unwrapped material against the key spec. Returns what the vault
 * seals (normalized PKCS#8 for asymmetric keys) and the canonical form the
 * commitment covers (the public key for asymmetric keys, so the same key in
 * another PKCS#8 encoding is the same material).
 */
export async function checkMaterial(key: KeyRecord, material: Buffer): Promise<{ seal: Buffer; canonical: Buffer }> {
  const family = familyOf(key.keySpec);
  if (family === 'symmetric') {
    if (material.length !== 32) throw incorrect(`SYMMETRIC_DEFAULT key material is 256 bits (32 bytes); this is ${material.length} bytes.`);
    return { seal: material, canonical: material };
  }
  if (family === 'hmac') {
    const { min, max } = HMAC_KEY_BYTES[key.keySpec]!;
    if (material.length < min || material.length > max) throw incorrect(`${key.keySpec} key material is ${min} to ${max} bytes; this is ${material.length} bytes.`);
    return { seal: material, canonical: material };
  }
  try {
    const { pkcs8, spki } = await checkImportedPrivateKey(key.keySpec, material);
    return { seal: pkcs8, canonical: spki };
  } catch (e) {
    throw incorrect(`The key material is not a DER PKCS#8 private key of key spec ${key.keySpec} (${(e as Error).message}).`);
  } finally {
    material.fill(0);
  }
}

/** HMAC-SHA-256(HKDF(tenant key, "strongroom/import-commitment/v1", account), key id ‖ 0 ‖ canonical material). */
export function materialCommitment(tenantKey: KeyObject, key: KeyRecord, canonical: Uint8Array): Buffer {
  const k = Buffer.from(hkdfSync('sha256', tenantKey, Buffer.from('strongroom/import-commitment/v1'), Buffer.from(key.account), 32));
  try {
    return createHmac('sha256', k).update(key.keyId).update(Buffer.from([0])).update(canonical).digest();
  } finally {
    k.fill(0);
  }
}
