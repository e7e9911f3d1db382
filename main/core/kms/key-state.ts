// Key states and what each allows (AWS KMS Developer Guide, "Key states of
// AWS KMS keys", the operations × states table), and KeyMetadata.
import { keyArn } from '../codecs/arn.js';
import { KmsError } from '../errors.js';
import { materialExpired } from './import/expiry.js';
import { algorithmFields } from './key-specs.js';
import type { KeyRecord } from '../model.js';

/** Cryptographic use (Encrypt, Decrypt, ReEncrypt, GenerateDataKey*): Enabled only. */
export function requireUsable(key: KeyRecord): void {
  if (key.state === 'Enabled') return;
  const arn = keyArn(key);
  if (key.state === 'Disabled') throw new KmsError('DisabledException', `${arn} is disabled. Enable it with EnableKey to use it.`);
  throw new KmsError('KMSInvalidStateException', `${arn} is ${stateWords(key)}, so it cannot be used for cryptographic operations.`);
}

/**
 * Management that AWS allows on Enabled and Disabled keys but not on keys
 * pending deletion (UpdateKeyDescription, TagResource, CreateAlias, …).
 */
export function requireNotPendingDeletion(key: KeyRecord): void {
  if (key.state === 'PendingDeletion') {
    throw new KmsError(
      'KMSInvalidStateException',
      `${keyArn(key)} is pending deletion. Cancel the deletion with CancelKeyDeletion first.`,
    );
  }
}

/**
 * A key with Origin EXTERNAL has material exactly while it has an
 * ExpirationModel (ImportKeyMaterial sets it; DeleteImportedKeyMaterial and
 * expiry clear both), so this needs no lookup.
 */
export const hasMaterial = (key: KeyRecord): boolean => key.origin !== 'EXTERNAL' || key.expirationModel !== null;

/** EnableKey and DisableKey: a key waiting for imported material can be neither (KMSInvalidStateException, as in AWS). */
export function requireNotPendingImport(key: KeyRecord): void {
  if (key.state === 'PendingImport') {
    throw new KmsError('KMSInvalidStateException', `${keyArn(key)} is pending import: import its key material with ImportKeyMaterial first.`);
  }
}

function stateWords(key: KeyRecord): string {
  switch (key.state) {
    case 'PendingDeletion':
      return 'pending deletion';
    case 'PendingImport':
      return 'pending import';
    default:
      return key.state.toLowerCase();
  }
}

/** KeyMetadata as AWS returns it; `currentMaterialId` from material-id.ts currentMaterialId. */
export function keyMetadata(key: KeyRecord, currentMaterialId: string | undefined) {
  return {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: keyArn(key),
    CreationDate: new Date(key.createdAt),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    ...(key.deletionDate !== null
      ? { DeletionDate: new Date(key.deletionDate), PendingDeletionWindowInDays: key.pendingWindowDays ?? undefined }
      : {}),
    Origin: key.origin,
    KeyManager: 'CUSTOMER' as const,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    // EncryptionAlgorithms / SigningAlgorithms / MacAlgorithms / KeyAgreementAlgorithms, as the key's usage has them
    ...algorithmFields(key),
    // imported material: ExpirationModel always, ValidTo only when it expires (AWS KeyMetadata)
    ...(key.origin === 'EXTERNAL' && key.expirationModel !== null ? { ExpirationModel: key.expirationModel } : {}),
    ...(key.origin === 'EXTERNAL' && key.validTo !== null ? { ValidTo: new Date(key.validTo) } : {}),
    MultiRegion: false,
    ...(currentMaterialId !== undefined ? { CurrentKeyMaterialId: currentMaterialId } : {}),
  };
}

/**
 * True when the key has work due at `now`: deletion past its date, rotation
 * past its date (AWS rotates enabled keys only; a disabled key's rotation
 * waits until it is enabled again), or imported material past ValidTo.
 */
export function isDue(key: KeyRecord, now: number): boolean {
  return (
    (key.state === 'PendingDeletion' && key.deletionDate !== null && key.deletionDate <= now) ||
    (key.state === 'Enabled' && key.nextRotationAt !== null && key.nextRotationAt <= now) ||
    materialExpired(key, now)
  );
}
