// Key material ids (AWS KMS API Reference: KeyMaterialId, BackingKeyIdType,
// "64 lowercase hex characters"): each material version of a key has one,
// stable for the life of that material. Decrypt names the material that
// made the ciphertext, Encrypt-side operations the material they used,
// ListKeyRotations every version's, KeyMetadata the current one's.
//
// How an id is made, and why it can tell no one anything about the key:
//  - Vault-generated material (CreateKey, rotation): 32 random bytes. AWS
//    documents the id only as an identifier of the material; deriving it
//    from the key bytes would add nothing a random id lacks, and a random
//    id has no relation to them at all.
//  - Imported material: AWS assigns the id "based on the KMS key ID and the
//    imported key material" (ImportKeyMaterialRequest.KeyMaterialId), so
//    the same material imported again gets the same id. Here it is
//    SHA-256("strongroom/key-material-id/v1" ‖ 0 ‖ commitment), where the
//    commitment is the keyed HMAC-SHA-256 of key id and material that the
//    vault already keeps to check re-imports (import/material.ts): keyed
//    under a key derived from the tenant key, so no one without the vault
//    can test a guessed material against an id; the outer hash with its own
//    label keeps the id from being the very value re-imports are compared
//    with. It is derived from the stored commitment (not from a second key)
//    so migration 0010 can give the material of existing imports its id
//    without opening the vault master key.
import { createHash, randomBytes } from 'node:crypto';
import type { KeyRecord } from '../model.js';
import type { RepoReads } from '../service/ports.js';

const ID = /^[0-9a-f]{64}$/;

/** A fresh id for vault-generated material. */
export const newMaterialId = (): string => randomBytes(32).toString('hex');

/** The id of imported material, from its keyed commitment (import/material.ts materialCommitment). */
export function importedMaterialId(commitment: Uint8Array): string {
  if (commitment.length !== 32) throw new Error(`expected a 32-byte commitment, got length=${commitment.length}`);
  return createHash('sha256').update('strongroom/key-material-id/v1').update(Buffer.from([0])).update(commitment).digest('hex');
}

export const isMaterialId = (s: unknown): s is string => typeof s === 'string' && ID.test(s);

/**
 * The id of a key's current material, where AWS shows one (KeyMetadata
 * CurrentKeyMaterialId: symmetric encryption keys only). For a key with
 * imported material that was deleted or expired, the id of the material it
 * waits for: only that material can be imported again.
 */
export async function currentMaterialId(repo: RepoReads, key: KeyRecord): Promise<string | undefined> {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') return undefined;
  const m = await repo.material(key.account, key.keyId, key.currentVersion);
  if (m) return m.materialId;
  if (key.origin !== 'EXTERNAL') return undefined;
  const commitment = await repo.materialCommitment(key.account, key.keyId);
  return commitment ? importedMaterialId(commitment) : undefined;
}
