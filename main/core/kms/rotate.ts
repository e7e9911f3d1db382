// Adding a key material version, shared by RotateKeyOnDemand and the
// automatic rotation that runs when a key's NextRotationDate passes.
import type { KeyMaterials } from './key-material.js';
import { newMaterialId } from './material-id.js';
import type { KeyRecord, TenantRecord } from '../model.js';
import { type RotationType } from '../../api/enums.js';
import type { RepoTx } from '../service/ports.js';

const DAY = 86_400_000;

export async function rotateKey(tx: RepoTx, materials: KeyMaterials, tenant: TenantRecord, key: KeyRecord, now: number, type: RotationType): Promise<KeyRecord> {
  const version = key.currentVersion + 1;
  await tx.insertMaterial({ account: key.account, keyId: key.keyId, version, wrapped: materials.create(tenant, key, version), createdAt: now, rotationType: type, materialId: newMaterialId() });
  const next: KeyRecord = { ...key, currentVersion: version };
  // An automatic rotation schedules the next one a period later; catching up
  // after a long gap rotates once, not once per missed period.
  if (type === 'AUTOMATIC' && key.rotationPeriodDays !== null) {
    next.nextRotationAt = now + key.rotationPeriodDays * DAY;
  }
  await tx.updateKey(next);
  return next;
}
