// Opening a vault key's current material for the non-symmetric operations:
// the parsed key is cached by KeyMaterials, so a key's PKCS#8 is parsed
// (and an ML-DSA key expanded) once per session, not once per call.
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { OpContext } from '../../service/context.js';
import { KmsError } from '../../errors.js';
import type { KeyRecord } from '../../model.js';
import { openPrivateKey, type AsymmetricKey } from './index.js';

async function currentMaterial(ctx: OpContext, key: KeyRecord) {
  const m = await ctx.repo.material(key.account, key.keyId, key.currentVersion);
  if (!m) throw new KmsError('KMSInternalException', `Key ${key.keyId} has no material version ${key.currentVersion}.`);
  return m;
}

/** The key's private key, opened (the caller has checked usage and state). */
export async function openAsymmetric(ctx: OpContext, key: KeyRecord): Promise<AsymmetricKey> {
  const m = await currentMaterial(ctx, key);
  return ctx.materials.openParsed(await ctx.tenant(), key, m, (raw) => openPrivateKey(key.keySpec, raw));
}

/** An HMAC key's secret as a KeyObject. */
export async function openHmacKey(ctx: OpContext, key: KeyRecord): Promise<KeyObject> {
  const m = await currentMaterial(ctx, key);
  return ctx.materials.openParsed(await ctx.tenant(), key, m, (raw) => createSecretKey(raw));
}
