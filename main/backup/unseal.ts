// Opening a backup (docs/backup-format.md, "Opening a backup"): its header,
// read and checked; its data key, from the slot the caller can open; the
// header authenticated; then every segment, in order, each authenticated
// before any of its plaintext is handed on, the last one carrying the final
// flag. Nothing here writes anything: restore.ts reads a backup through
// once to verify it whole, then again to write it.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { invalidCiphertext, isKmsError, KmsError, validation } from '../core/errors.js';
import { splitInfo, type GivenShares, type RecoverySplitInfo } from '../custody/recovery-record.js';
import { openVaultMasterKey } from '../custody/vault-master-key.js';
import { keychainLocation, readKeychainSecret } from '../custody/keychain.js';
import { SegmentError, stream, TAG_LENGTH } from '../files/format.js';
import { fsError } from '../files/sources.js';
import { authenticateHeader, headerLength, MAGIC, parseHeader, PREAMBLE_LENGTH, type BackupHeader } from './header.js';
import { deriveBackupKeys, type BackupKeys } from './keys.js';
import { openRecoverySlot, openVmkSlot } from './key-slots.js';

/** What opens a backup: a quorum of its vault's recovery shares, or else its vault master key, found as the header's custody record says. */
export interface Unlock {
  /** M custodians' shares of the split the backup's recovery record names: they open the recovery slot */
  shares?: GivenShares;
  /** the vault passphrase, for a backup of a passphrase-custody vault opened without shares */
  vaultPassphrase?: () => Promise<string>;
}

export type OpenedWith = 'VaultMasterKey' | 'RecoveryShares';

export interface UnlockedBackup {
  keys: BackupKeys;
  /** the vault master key (the caller zeroes it) */
  vmk: Buffer;
  openedWith: OpenedWith;
}

/** Reads exactly `length` bytes at `position`, or fewer at the end of the file. */
async function readAt(fh: FileHandle, path: string, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  try {
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
  } catch (e) {
    throw fsError(e, path, 'read');
  }
  return got === length ? buf : buf.subarray(0, got);
}

/** Reads and parses the header (structure and checksum; nothing authenticated yet). */
export async function readBackupHeader(fh: FileHandle, path: string): Promise<BackupHeader> {
  const preamble = await readAt(fh, path, PREAMBLE_LENGTH, 0);
  if (preamble.length < PREAMBLE_LENGTH && preamble.length > 0 && MAGIC.subarray(0, preamble.length).equals(preamble.subarray(0, MAGIC.length))) {
    throw invalidCiphertext('The backup ends inside its header: it was cut short.');
  }
  const length = headerLength(preamble);
  const bytes = await readAt(fh, path, length, 0);
  if (bytes.length < length) throw invalidCiphertext(`The backup ends inside its header (${bytes.length} of ${length} bytes): it was cut short.`);
  return parseHeader(bytes);
}

/**
 * The recovery split a backup opens with (its header's recovery record), or
 * undefined for a backup of a vault that had none. Read from the header
 * before it is authenticated, so the custodians can be asked by name and a
 * share of another vault or split refused before anyone types a passphrase:
 * for asking, not for deciding (unlockBackup checks the shares again).
 */
export async function readBackupSplit(fh: FileHandle, path: string): Promise<RecoverySplitInfo | undefined> {
  const header = await readBackupHeader(fh, path);
  return header.keySlots.recovery ? splitInfo(header.keySlots.recovery, header.vaultId) : undefined;
}

/**
 * Finds the master key and the data key, from the custodians' shares or from
 * the master key's custody, then authenticates the header with the data key.
 * Errors, all before anything is written:
 *   - shares given, and the backup has no recovery slot: ValidationException;
 *   - too few shares, or the same one twice: ValidationException; a damaged,
 *     foreign or earlier-split share: InvalidCiphertextException, naming it
 *     by its place ("The 2nd share given …"; custody/recovery/shares.ts);
 *   - shares that do not open the recovery record's master key, or a master
 *     key that does not open the vmk slot: InvalidCiphertextException (the header was changed);
 *   - no master key for the vault in this keychain: KMSInvalidStateException, naming the shares;
 *   - a wrong vault passphrase: AccessDeniedException (custody/passphrase.ts);
 *   - the master key opens the custody check but not the slot, or the header fails authentication: InvalidCiphertextException.
 */
export async function unlockBackup(header: BackupHeader, unlock: Unlock): Promise<UnlockedBackup> {
  const { vaultId } = header;
  let dataKey: Buffer | undefined;
  let vmk: Buffer | undefined;
  let openedWith: OpenedWith;
  try {
    if (unlock.shares !== undefined) {
      if (!header.keySlots.recovery) {
        throw validation(
          `This backup of vault ${vaultId} was made while the vault had no recovery split: no custodian's shares open it. Restore it with the vault's master key (where its keychain holds it, or with its vault passphrase).`,
        );
      }
      vmk = await openRecoverySlot(header.keySlots.recovery, unlock.shares, vaultId);
      openedWith = 'RecoveryShares';
    } else {
      vmk = await masterKeyOf(header, unlock);
      openedWith = 'VaultMasterKey';
    }
    dataKey = openVmkSlot(vmk, vaultId, header.keySlots.vmk);
    if (!dataKey) throw invalidCiphertext(`The backup's master-key slot does not open with the master key of vault ${vaultId}: the header was modified.`);
    const keys = deriveBackupKeys(dataKey, header.salt);
    authenticateHeader(header, keys);
    const out = { keys, vmk, openedWith };
    vmk = undefined; // the caller's now
    return out;
  } finally {
    dataKey?.fill(0);
    vmk?.fill(0);
  }
}

/** The vault master key from the custody the header names: this machine's keychain, or the vault passphrase. */
async function masterKeyOf(header: BackupHeader, unlock: Unlock): Promise<Buffer> {
  const { vaultId, custody } = header;
  if (custody.kind === 'keychain') {
    // Asked first, so that a keychain without this vault's key is told what opens the backup instead.
    let held: Buffer | undefined;
    try {
      held = await readKeychainSecret(keychainLocation(vaultId));
    } catch (e) {
      if (isKmsError(e) && e.name === 'KMSInvalidStateException') throw new KmsError(e.name, `${e.message} Without this keychain, ${sharesHint(header)}.`);
      throw e;
    }
    if (held === undefined) {
      throw new KmsError(
        'KMSInvalidStateException',
        `This machine's OS keychain holds no master key for vault ${vaultId}, which this backup was sealed with. To restore it here, ${sharesHint(header)}.`,
      );
    }
    held.fill(0);
  }
  return openVaultMasterKey(vaultId, custody, unlock.vaultPassphrase);
}

/** What else opens the backup, for a refusal that lacks the master key. */
function sharesHint(header: BackupHeader): string {
  const r = header.keySlots.recovery;
  if (!r) return 'restore it where the vault master key is: this backup was made while the vault had no recovery split, so no shares open it';
  return `give ${r.commitment.threshold} of the ${r.commitment.count} custodians' recovery shares (${r.custodians.join(', ')}; split ${r.commitment.splitId})`;
}

export interface SegmentsRead {
  /** SHA-256 of the whole backup file, hex */
  sha256: string;
  /** the backup file's length */
  bytes: number;
  segments: number;
}

/**
 * Reads every segment after the header, in order, authenticating each before
 * handing its plaintext to `onPlaintext` (if given; the pieces are the
 * caller's). The last segment read must carry the final flag: a backup cut
 * at a segment boundary, or with bytes after its final segment, fails. The
 * plaintext must come to the header's databaseBytes. InvalidCiphertextException
 * (a SegmentError naming the first bad segment) otherwise.
 */
export async function readSegments(fh: FileHandle, path: string, header: BackupHeader, keys: BackupKeys, onPlaintext?: (pieces: Buffer[]) => Promise<void>): Promise<SegmentsRead> {
  const seg = stream(keys.segmentKey, header.noncePrefix, header.mac);
  const sealedSize = header.segmentSize + TAG_LENGTH;
  const hash = createHash('sha256').update(header.bytes);
  let position = header.bytes.length;
  const next = async () => {
    const chunk = await readAt(fh, path, sealedSize, position);
    position += chunk.length;
    hash.update(chunk);
    return chunk;
  };
  let plaintext = 0;
  let index = 0;
  let chunk = await next();
  if (chunk.length === 0) throw new SegmentError(0, 'Segment 0 is missing: the backup has a header but no segments; it was cut short.');
  for (;;) {
    // a full chunk may be followed by more: read ahead to know whether this one is the last
    const after = chunk.length === sealedSize ? await next() : Buffer.alloc(0);
    const final = after.length === 0;
    if (chunk.length < TAG_LENGTH || (final && index > 0 && chunk.length === TAG_LENGTH)) {
      throw new SegmentError(index, `Segment ${index} is ${chunk.length} bytes, too short to be a segment: the backup was cut short.`);
    }
    let pieces: Buffer[];
    try {
      pieces = seg.open(index, final, chunk);
    } catch (e) {
      // a cut or extended backup told from a modified one: would this segment open with the other finality?
      if (final && chunk.length === sealedSize && seg.verifies(index, false, chunk)) {
        throw new SegmentError(index + 1, `The backup ends after segment ${index}, which is not its final segment: it was cut short (segment ${index + 1} onwards is missing).`);
      }
      if (!final && seg.verifies(index, true, chunk)) {
        throw new SegmentError(index + 1, `Segment ${index} is the backup's final segment, but more data follows it: bytes were appended to the backup.`);
      }
      throw e;
    }
    plaintext += pieces.reduce((n, p) => n + p.length, 0);
    if (onPlaintext) await onPlaintext(pieces);
    else for (const p of pieces) p.fill(0);
    index++;
    if (final) break;
    chunk = after;
  }
  if (plaintext !== header.databaseBytes) {
    throw invalidCiphertext(`The backup holds ${plaintext} bytes of database where its header says ${header.databaseBytes}: it was not written whole.`);
  }
  return { sha256: hash.digest('hex'), bytes: position, segments: index };
}
