// GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial (AWS
// KMS API Reference): bring-your-own-key for keys created with Origin
// EXTERNAL, wrapped exactly as AWS's import documentation shows (so the
// same openssl commands work), with AWS's expiration model.
import { keyArn } from '../codecs/arn.js';
import type { OpContext } from '../service/context.js';
import { KmsError, validation } from '../errors.js';
import { removeImportedMaterial } from '../kms/import/expiry.js';
import { checkMaterial, materialCommitment } from '../kms/import/material.js';
import { importedMaterialId } from '../kms/material-id.js';
import { decodeImportToken, newImportToken, openImportToken } from '../kms/import/tokens.js';
import { familyOf } from '../kms/key-specs.js';
import type { KeyRecord } from '../model.js';
import type { Handler } from '../service/operation.js';

const DAY = 86_400_000;
/** ValidTo may be at most 365 days after the request (AWS ImportKeyMaterial "ValidTo"). */
export const MAX_VALID_TO_DAYS = 365;


function requireExternal(key: KeyRecord): void {
  if (key.origin !== 'EXTERNAL') {
    throw new KmsError('UnsupportedOperationException', `${keyArn(key)} has Origin ${key.origin}; importing key material needs a key created with Origin EXTERNAL.`);
  }
}

function requireImportableState(key: KeyRecord): void {
  if (key.state === 'PendingDeletion' || key.state === 'Unavailable') {
    throw new KmsError('KMSInvalidStateException', `${keyArn(key)} is ${key.state === 'PendingDeletion' ? 'pending deletion' : 'unavailable'}; its key material cannot change now.`);
  }
}

/** AWS refuses combinations whose material cannot fit one RSA-OAEP block. */
function checkWrappingCombination(key: KeyRecord, alg: string, spec: string): void {
  if (!alg.startsWith('RSAES_OAEP')) return;
  if (familyOf(key.keySpec) === 'rsa') {
    throw validation(`${alg} cannot wrap an RSA private key (${key.keySpec}): it is larger than one RSA-OAEP block. Use RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1.`);
  }
  if (key.keySpec === 'ECC_NIST_P521' && spec === 'RSA_2048') {
    throw validation(`${alg} with an RSA_2048 wrapping key cannot wrap ECC_NIST_P521 material; use RSA_3072 or RSA_4096, or an RSA_AES_KEY_WRAP algorithm.`);
  }
}

export const GetParametersForImport: Handler<'GetParametersForImport'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, {
    allowAlias: false,
    context: { 'kms:wrappingalgorithm': input.WrappingAlgorithm, 'kms:wrappingkeyspec': input.WrappingKeySpec },
  });
  requireExternal(key);
  requireImportableState(key);
  checkWrappingCombination(key, input.WrappingAlgorithm, input.WrappingKeySpec);
  const tenant = await ctx.tenant();
  const { record, token, publicKey } = await newImportToken(ctx.materials.tenantKey(tenant), key, input.WrappingAlgorithm, input.WrappingKeySpec, ctx.now);
  await ctx.write(async (tx) => {
    await tx.deleteExpiredImportTokens(ctx.now);
    if (!(await tx.key(ctx.scope, key.keyId))) throw new KmsError('NotFoundException', `Key '${input.KeyId}' does not exist.`);
    await tx.insertImportToken(record);
  });
  return { KeyId: keyArn(key), ImportToken: token, PublicKey: publicKey, ParametersValidTo: new Date(record.expiresAt) };
};

export const ImportKeyMaterial: Handler<'ImportKeyMaterial'> = async (ctx, input) => {
  const model = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
  const validTo = checkExpiration(ctx, model, input.ValidTo);
  const key = await ctx.key(input.KeyId, {
    allowAlias: false,
    context: { 'kms:expirationmodel': model, ...(validTo !== null ? { 'kms:validto': String(Math.floor(validTo / 1000)) } : {}) },
  });
  requireExternal(key);
  requireImportableState(key);
  const { tokenId, keyId: tokenKeyId } = decodeImportToken(input.ImportToken);
  if (tokenKeyId !== key.keyId) {
    throw new KmsError('InvalidImportTokenException', `The ImportToken belongs to another key, not ${keyArn(key)}; call GetParametersForImport for this key.`);
  }
  const tenant = await ctx.tenant();
  const tenantKey = ctx.materials.tenantKey(tenant);
  const token = await ctx.repo.importToken(key.account, tokenId);
  const wrappingKey = openImportToken(tenantKey, key, token, ctx.now);
  // imported here, not with the handlers: AES-KWP is @noble/ciphers, which no other operation needs (issue 14)
  const { unwrapKeyMaterial } = await import('../kms/import/wrapping.js');
  const { seal, canonical } = await checkMaterial(key, unwrapKeyMaterial(wrappingKey, token!.wrappingAlgorithm, input.EncryptedKeyMaterial));
  const commitment = materialCommitment(tenantKey, key, canonical);
  // the same material always gets the same id (material-id.ts): a re-import names the id it had
  const materialId = importedMaterialId(commitment);
  const sealed = ctx.materials.seal(tenant, key, key.currentVersion, seal);
  canonical.fill(0);
  await ctx.write(async (tx) => {
    const cur = await tx.key(ctx.scope, key.keyId);
    if (!cur) throw new KmsError('NotFoundException', `Key '${input.KeyId}' does not exist.`);
    requireImportableState(cur);
    const previous = await tx.materialCommitment(cur.account, cur.keyId);
    if (previous && !previous.equals(commitment)) {
      throw new KmsError(
        'IncorrectKeyMaterialException',
        `This is not the key material first imported into ${keyArn(cur)}; a key can only ever take the same material again.`,
      );
    }
    if (!previous) await tx.setMaterialCommitment(cur.account, cur.keyId, commitment);
    if (!(await tx.material(cur.account, cur.keyId, cur.currentVersion))) {
      await tx.insertMaterial({ account: cur.account, keyId: cur.keyId, version: cur.currentVersion, wrapped: sealed, createdAt: ctx.now, rotationType: null, materialId });
    }
    await tx.updateKey({ ...cur, state: cur.state === 'PendingImport' ? 'Enabled' : cur.state, validTo, expirationModel: model });
  });
  return { KeyId: keyArn(key), ...shownMaterialId(key, materialId) };
};

/** AWS names key material ids for symmetric encryption keys only (KeyMetadata CurrentKeyMaterialId, ImportKeyMaterialRequest KeyMaterialId). */
const shownMaterialId = (key: KeyRecord, id: string | undefined): { KeyMaterialId?: string } =>
  key.keySpec === 'SYMMETRIC_DEFAULT' && id !== undefined ? { KeyMaterialId: id } : {};

function checkExpiration(ctx: OpContext, model: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE', validTo: Date | undefined): number | null {
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (validTo !== undefined) throw validation('ValidTo is not valid with ExpirationModel KEY_MATERIAL_DOES_NOT_EXPIRE; omit it.');
    return null;
  }
  if (validTo === undefined) {
    throw validation('ExpirationModel KEY_MATERIAL_EXPIRES (the default) needs ValidTo; pass ValidTo, or ExpirationModel KEY_MATERIAL_DOES_NOT_EXPIRE.');
  }
  const t = validTo.getTime();
  if (!Number.isFinite(t) || t <= ctx.now) throw validation('ValidTo must be in the future.');
  if (t > ctx.now + MAX_VALID_TO_DAYS * DAY) throw validation(`ValidTo can be at most ${MAX_VALID_TO_DAYS} days from now.`);
  return t;
}

export const DeleteImportedKeyMaterial: Handler<'DeleteImportedKeyMaterial'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  requireExternal(key);
  requireImportableState(key);
  const deleted = await ctx.write(async (tx) => {
    const cur = await tx.key(ctx.scope, key.keyId);
    if (!cur) throw new KmsError('NotFoundException', `Key '${input.KeyId}' does not exist.`);
    requireImportableState(cur);
    // the id of the material deleted: the one the key's import commitment names (none if nothing was ever imported)
    const commitment = await tx.materialCommitment(cur.account, cur.keyId);
    await removeImportedMaterial(tx, cur);
    return commitment ? importedMaterialId(commitment) : undefined;
  });
  ctx.materials.forget(key.account, key.keyId);
  return { KeyId: keyArn(key), ...shownMaterialId(key, deleted) };
};
