// The key slots of a backup header (docs/backup-format.md, "Key slots"): the
// ways the backup's data key may be found.
//
//   vmk       the data key, under a key derived from the vault master key
//             (crypto/subkeys.ts, purpose "backup"): opens wherever the
//             vault's master key is (its keychain, or its vault passphrase).
//             nonce(12) ‖ AES-256-GCM(KEK, data key, aad) ‖ tag(16), the aad
//             naming the slot and the vault (crypto/aes-gcm.ts seal).
//   recovery  the vault's recovery record (custody/recovery-record.ts) as the
//             snapshot held it: the master key sealed under the recovery key
//             that M-of-N custodians hold as shares, and the split's
//             commitment. Any M of the shares of the split in force when the
//             backup was made give the recovery key, which opens the master
//             key, which opens the vmk slot. So a machine that never held the
//             master key restores the backup with the custodians, and gets
//             the master key the restored vault needs (it seals the tenant
//             keys).
//
// The recovery record is the vault's own, copied: at creation its row MAC is
// checked under the master key, so a record edited in the vault file never
// goes into a backup. In the header it is authenticated by the header's MAC
// (keys.ts), which can be checked only once the data key is found; before
// that, an edited record can make honest shares fail, never make other
// shares open the backup: the shares are checked against its commitment,
// the recovered key must open its sealed master key (AES-256-GCM), that key
// the vmk slot, and the data key from it the header's MAC.
import { NONCE_LENGTH, TAG_LENGTH, open, seal } from '../core/crypto/aes-gcm.js';
import { vaultSubkey } from '../core/crypto/subkeys.js';
import { KmsError } from '../core/errors.js';
import { RowMac } from '../core/integrity/row-mac.js';
import { openVmkWithShares, parseRecoveryRecord, type GivenShares, type RecoveryRecord } from '../custody/recovery-record.js';
import { DATA_KEY_LENGTH } from './keys.js';

export const VMK_SLOT_LENGTH = NONCE_LENGTH + DATA_KEY_LENGTH + TAG_LENGTH;

const slotAad = (vaultId: string) => Buffer.from(`strongroom-backup/v1\0key-slot\0vmk\0${vaultId}`, 'utf8');

export function sealVmkSlot(vmk: Uint8Array, vaultId: string, dataKey: Uint8Array): Buffer {
  return seal(vaultSubkey(vmk, vaultId, 'backup'), dataKey, slotAad(vaultId));
}

/** The data key, or undefined when the slot does not open with this master key. */
export function openVmkSlot(vmk: Uint8Array, vaultId: string, slot: Uint8Array): Buffer | undefined {
  const dataKey = open(vaultSubkey(vmk, vaultId, 'backup'), slot, slotAad(vaultId));
  if (dataKey && dataKey.length !== DATA_KEY_LENGTH) {
    dataKey.fill(0);
    return undefined;
  }
  return dataKey;
}

/** The recovery record as the snapshot's vault_meta holds it ('recovery' and its row MAC 'recovery_mac'). */
export interface StoredRecoveryRecord {
  json: string;
  /** base64; absent when the row has none */
  mac?: string;
}

/**
 * The recovery slot of a backup of vault `vaultId`: the snapshot's recovery
 * record, once its row MAC holds under the master key. A record that is
 * malformed or fails its MAC is the vault's state, and no backup is made
 * with it: KMSInvalidStateException.
 */
export function recoverySlot(stored: StoredRecoveryRecord, vmk: Uint8Array, vaultId: string): RecoveryRecord {
  const record = parseRecoveryRecord(stored.json, vaultId);
  const rowMac = new RowMac(vaultSubkey(vmk, vaultId, 'row-mac'));
  try {
    RowMac.check(rowMac.recovery(stored.json), stored.mac === undefined ? undefined : Buffer.from(stored.mac, 'base64'), "The vault's recovery record");
  } catch {
    throw new KmsError(
      'KMSInvalidStateException',
      "The vault's recovery record fails its integrity check: the vault file was changed outside Strongroom. No backup was made (a backup carries the record, for the custodians' shares to open); make a new split with 'strongroom ceremony split'.",
    );
  }
  return record;
}

/** The vault master key from the custodians' shares and the backup's recovery slot (the caller zeroes it). */
export function openRecoverySlot(record: RecoveryRecord, shares: GivenShares, vaultId: string): Promise<Buffer> {
  return openVmkWithShares(record, shares, vaultId, 'backup');
}
