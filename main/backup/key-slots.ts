// The key slots of a backup header (docs/backup-format.md, "Key slots"): the
// backup's data key, sealed once for each way the backup may be opened.
//
//   vmk       the data key, under a key derived from the vault master key
//             (crypto/subkeys.ts, purpose "backup"): opens wherever the
//             vault's master key is (its keychain, or its vault passphrase).
//   recovery  the data key and the vault master key, under a key derived
//             from the vault's 32-byte recovery key (DESIGN §10: the key
//             custodians hold as M-of-N shares): opens on a machine that
//             never held the master key. The restored vault needs the master
//             key itself (it seals the tenant keys), so this slot carries it,
//             as the vault's recovery custody record does.
//
// Each slot is nonce(12) ‖ AES-256-GCM(KEK, payload, aad) ‖ tag(16) (crypto/aes-gcm.ts
// seal), the aad naming the slot's kind and the vault, so a slot cannot stand in
// for the other kind or for another vault's. A slot that does not open says only
// that: a wrong key and a changed slot are one failed tag.
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { NONCE_LENGTH, TAG_LENGTH, open, seal } from '../core/crypto/aes-gcm.js';
import { vaultSubkey } from '../core/crypto/subkeys.js';
import { validation } from '../core/errors.js';
import { DATA_KEY_LENGTH } from './keys.js';

export const RECOVERY_KEY_LENGTH = 32;
const VMK_LENGTH = 32;
export const VMK_SLOT_LENGTH = NONCE_LENGTH + DATA_KEY_LENGTH + TAG_LENGTH;
export const RECOVERY_SLOT_LENGTH = NONCE_LENGTH + DATA_KEY_LENGTH + VMK_LENGTH + TAG_LENGTH;

type SlotKind = 'vmk' | 'recovery';

const slotAad = (kind: SlotKind, vaultId: string) => Buffer.from(`strongroom-backup/v1\0key-slot\0${kind}\0${vaultId}`, 'utf8');

/** HKDF-SHA-256 (RFC 5869) of the recovery key, salted with the vault as crypto/subkeys.ts salts the master key's subkeys. */
function recoveryKek(recoveryKey: Uint8Array, vaultId: string): KeyObject {
  checkRecoveryKey(recoveryKey);
  const raw = Buffer.from(hkdfSync('sha256', recoveryKey, Buffer.from(`strongroom/vault/${vaultId}`), 'strongroom/backup-recovery-slot/v1', 32));
  try {
    return createSecretKey(raw);
  } finally {
    raw.fill(0);
  }
}

/** A recovery key is 32 bytes; anything else is refused before it is used. */
export function checkRecoveryKey(recoveryKey: Uint8Array): void {
  if (!(recoveryKey instanceof Uint8Array) || recoveryKey.length !== RECOVERY_KEY_LENGTH) {
    throw validation(`A recovery key is ${RECOVERY_KEY_LENGTH} bytes; this one is ${recoveryKey instanceof Uint8Array ? recoveryKey.length : 'not bytes'}.`);
  }
}

export function sealVmkSlot(vmk: Uint8Array, vaultId: string, dataKey: Uint8Array): Buffer {
  return seal(vaultSubkey(vmk, vaultId, 'backup'), dataKey, slotAad('vmk', vaultId));
}

/** The data key, or undefined when the slot does not open with this master key. */
export function openVmkSlot(vmk: Uint8Array, vaultId: string, slot: Uint8Array): Buffer | undefined {
  const dataKey = open(vaultSubkey(vmk, vaultId, 'backup'), slot, slotAad('vmk', vaultId));
  if (dataKey && dataKey.length !== DATA_KEY_LENGTH) {
    dataKey.fill(0);
    return undefined;
  }
  return dataKey;
}

export function sealRecoverySlot(recoveryKey: Uint8Array, vaultId: string, dataKey: Uint8Array, vmk: Uint8Array): Buffer {
  if (vmk.length !== VMK_LENGTH) throw new RangeError(`expected VMK of length ${VMK_LENGTH}, got length=${vmk.length}`);
  const payload = Buffer.concat([dataKey, vmk]);
  try {
    return seal(recoveryKek(recoveryKey, vaultId), payload, slotAad('recovery', vaultId));
  } finally {
    payload.fill(0);
  }
}

/** The data key and the vault master key, or undefined when the slot does not open with this recovery key. */
export function openRecoverySlot(recoveryKey: Uint8Array, vaultId: string, slot: Uint8Array): { dataKey: Buffer; vmk: Buffer } | undefined {
  const payload = open(recoveryKek(recoveryKey, vaultId), slot, slotAad('recovery', vaultId));
  if (!payload) return undefined;
  try {
    if (payload.length !== DATA_KEY_LENGTH + VMK_LENGTH) return undefined;
    return { dataKey: Buffer.from(payload.subarray(0, DATA_KEY_LENGTH)), vmk: Buffer.from(payload.subarray(DATA_KEY_LENGTH)) };
  } finally {
    payload.fill(0);
  }
}
