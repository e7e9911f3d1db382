// Keys derived from the vault master key for purposes other than sealing
// tenant keys (HKDF-SHA-256, RFC 5869), one per purpose, so no key serves
// two algorithms and none of them reveals the master key:
//   row-mac       authenticates the database rows that decide access (core/integrity/row-mac.ts)
//   audit-anchor  seals the audit anchor file of a vault without a keychain (custody/anchor.ts)
//   backup        seals a backup's data key in its master-key slot (backup/key-slots.ts)
//   session       authenticates sign-in session tokens kept outside the vault (service/session-token.ts)
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

type SubkeyPurpose = 'row-mac' | 'audit-anchor' | 'backup' | 'session';

export function vaultSubkey(vmk: Uint8Array, vaultId: string, purpose: SubkeyPurpose): KeyObject {
  if (vmk.length !== 32) throw new RangeError(`expected a vault master key of length 32, got length=${vmk.length}`);
  const raw = Buffer.from(hkdfSync('sha256', vmk, Buffer.from(`strongroom/vault/${vaultId}`), `strongroom/${purpose}/v1`, 32));
  try {
    return createSecretKey(raw);
  } finally {
    raw.fill(0);
  }
}
