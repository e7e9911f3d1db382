// Sealing a database snapshot into a backup (docs/backup-format.md): a fresh
// data key, its key slots (the data key under the master key, and the
// vault's recovery record if it has one), the header, then the snapshot in STREAM segments
// (files/format.ts stream(): the construction the file format uses, bound to
// this header's MAC).
import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { RecoveryRecord } from '../custody/recovery-record.js';
import type { CustodyRecord } from '../custody/vault-master-key.js';
import { DEFAULT_SEGMENT_SIZE, NONCE_PREFIX_LENGTH, checkSegmentSize, stream } from '../files/format.js';
import type { Sink } from '../files/sinks.js';
import { encodeHeader, type BackupHeader } from './header.js';
import { deriveBackupKeys, DATA_KEY_LENGTH, SALT_LENGTH } from './keys.js';
import { sealVmkSlot } from './key-slots.js';

export interface SealRequest {
  /** the database snapshot (store/snapshot.ts): read whole, and must not change meanwhile */
  snapshotPath: string;
  vaultId: string;
  /** ISO-8601 UTC */
  createdAt: string;
  schemaVersion: number;
  /** the vault's custody record: how a restore finds its master key */
  custody: CustodyRecord;
  /** the vault master key, for the vmk slot */
  vmk: Uint8Array;
  /** the vault's recovery record (key-slots.ts recoverySlot, checked): with one, the backup opens with the custodians' shares too */
  recovery?: RecoveryRecord;
  segmentSize?: number;
}

export interface Sealed {
  header: BackupHeader;
  /** bytes written: the backup's length */
  bytes: number;
  /** SHA-256 of everything written, hex */
  sha256: string;
  segments: number;
}

/** Writes the backup to `sink` (not flushed or committed: the caller's). */
export async function sealBackup(req: SealRequest, sink: Sink): Promise<Sealed> {
  const segmentSize = checkSegmentSize(req.segmentSize ?? DEFAULT_SEGMENT_SIZE);
  const input = await open(req.snapshotPath, 'r');
  try {
    const databaseBytes = (await input.stat()).size;
    const dataKey = randomBytes(DATA_KEY_LENGTH);
    const salt = randomBytes(SALT_LENGTH);
    let header: BackupHeader;
    const keys = deriveBackupKeys(dataKey, salt);
    try {
      header = encodeHeader(
        {
          vaultId: req.vaultId,
          createdAt: req.createdAt,
          schemaVersion: req.schemaVersion,
          databaseBytes,
          segmentSize,
          salt,
          noncePrefix: randomBytes(NONCE_PREFIX_LENGTH),
          commitment: keys.commitment,
          custody: req.custody,
          keySlots: {
            vmk: sealVmkSlot(req.vmk, req.vaultId, dataKey),
            ...(req.recovery !== undefined ? { recovery: req.recovery } : {}),
          },
        },
        keys,
      );
    } finally {
      dataKey.fill(0);
    }
    const segments = stream(keys.segmentKey, header.noncePrefix, header.mac);
    const hash = createHash('sha256').update(header.bytes);
    await sink.write([header.bytes], header.bytes.length);
    let written = header.bytes.length;
    // A database is never empty, but the format allows it: one final segment of no plaintext.
    const count = Math.max(1, Math.ceil(databaseBytes / segmentSize));
    const plain = Buffer.alloc(segmentSize);
    try {
      for (let i = 0; i < count; i++) {
        const want = Math.min(segmentSize, databaseBytes - i * segmentSize);
        const { bytesRead } = await input.read(plain, 0, want, i * segmentSize);
        if (bytesRead !== want) throw new Error(`the snapshot ${req.snapshotPath} changed while it was being sealed`);
        const sealed = segments.seal(i, i === count - 1, plain.subarray(0, want));
        const length = sealed.reduce((n, b) => n + b.length, 0);
        for (const b of sealed) hash.update(b);
        await sink.write(sealed, length);
        written += length;
      }
    } finally {
      plain.fill(0);
    }
    return { header, bytes: written, sha256: hash.digest('hex'), segments: count };
  } finally {
    await input.close();
  }
}
