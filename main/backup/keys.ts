// The keys of one backup, derived from its data key (docs/backup-format.md,
// "Keys"). The data key is 32 random bytes made for this backup alone; the
// key slots (key-slots.ts) hold it sealed. From it and the header's salt,
// HKDF-SHA-256 (RFC 5869) derives the segment key, the header MAC key and
// the key commitment, as the file format does from its data key
// (files/format.ts), under labels of its own so the two formats never share
// a key.
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { invalidCiphertext } from '../core/errors.js';

export const DATA_KEY_LENGTH = 32;
export const SALT_LENGTH = 32;
export const COMMITMENT_LENGTH = 32;

/** HKDF-SHA-256 `info` labels; salt = the header's salt, IKM = the data key. */
export const LABELS = {
  segment: 'strongroom-backup v1 segment key',
  mac: 'strongroom-backup v1 header mac key',
  commitment: 'strongroom-backup v1 key commitment',
} as const;

export interface BackupKeys {
  segmentKey: KeyObject;
  macKey: KeyObject;
  /** stored in the header and compared first: the backup opens with exactly one data key (GCM alone does not commit to a key) */
  commitment: Buffer;
}

/** Derives the backup's keys from its data key, which the caller then zeroes. */
export function deriveBackupKeys(dataKey: Uint8Array, salt: Uint8Array): BackupKeys {
  if (dataKey.length !== DATA_KEY_LENGTH) throw invalidCiphertext(`expected a data key of length ${DATA_KEY_LENGTH}, got length=${dataKey.length}`);
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, salt, info, 32));
  const segment = derive(LABELS.segment);
  const mac = derive(LABELS.mac);
  try {
    return { segmentKey: createSecretKey(segment), macKey: createSecretKey(mac), commitment: derive(LABELS.commitment) };
  } finally {
    segment.fill(0);
    mac.fill(0);
  }
}
