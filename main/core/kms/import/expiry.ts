// Imported material with ExpirationModel KEY_MATERIAL_EXPIRES is deleted
// when ValidTo passes, and the key goes to PendingImport until the same
// material is imported again (AWS KMS Developer Guide, "Setting an
// expiration time"). Service settles it where due deletions and rotations
// are settled (on lookup and in runDueWork).
import type { KeyRecord } from '../../model.js';
import type { RepoTx } from '../../service/ports.js';

export function materialExpired(key: KeyRecord, now: number): boolean {
  return key.validTo !== null && key.validTo <= now && (key.state === 'Enabled' || key.state === 'Disabled');
}

/** Deletes a key's imported material and leaves it PendingImport; returns the key as stored. */
export async function removeImportedMaterial(tx: RepoTx, key: KeyRecord): Promise<KeyRecord> {
  await tx.deleteMaterials(key.account, key.keyId);
  const next: KeyRecord = { ...key, state: key.state === 'PendingDeletion' ? 'PendingDeletion' : 'PendingImport', validTo: null, expirationModel: null };
  await tx.updateKey(next);
  return next;
}
