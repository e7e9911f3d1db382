// One recovery share as a versioned binary record: what every delivery form
// (paper words, a passphrase-sealed file, an age file) carries, and what
// combineRecoveryShares reads back. 61 bytes, big-endian:
//
//   offset size
//    0      1   format version (1)
//    1     16   vault id (the vault's UUID, RFC 9562 byte order)
//   17      4   split id (random; names one split of the recovery key)
//   21      1   share index i, 1..N (the custodian's number)
//   22      1   threshold M
//   23      1   share count N
//   24     33   the share as shamir-secret-sharing returns it: y(32) || x(1)
//   57      4   checksum: the first 4 bytes of SHA-256(bytes 0..56)
//
// The checksum is Base58Check's shape (a truncated SHA-256 over the payload,
// as BIP-39 also uses): it catches a mistyped word or a damaged file with
// probability 1 - 2^-32. It is not a MAC: a share made to pass it on purpose
// is caught by the split's commitment (commitment.ts), which the vault keeps.
import { createHash } from 'node:crypto';
import { KmsError, invalidCiphertext, validation } from '../../core/errors.js';

export const SHARE_FORMAT_VERSION = 1;
/** The recovery key: 32 bytes, like the vault master key it wraps. */
export const RECOVERY_KEY_LENGTH = 32;
/** shamir-secret-sharing appends the x coordinate to the 32 y bytes. */
export const SHARE_VALUE_LENGTH = RECOVERY_KEY_LENGTH + 1;
export const SPLIT_ID_LENGTH = 4;
export const CHECKSUM_LENGTH = 4;
const VAULT_ID_LENGTH = 16;
const PAYLOAD_LENGTH = 1 + VAULT_ID_LENGTH + SPLIT_ID_LENGTH + 3 + SHARE_VALUE_LENGTH; // 57
export const SHARE_RECORD_LENGTH = PAYLOAD_LENGTH + CHECKSUM_LENGTH; // 61

/** Issue 13: 2 ≤ M ≤ N ≤ 16. */
export const MIN_THRESHOLD = 2;
export const MAX_SHARES = 16;

export interface RecoveryShare {
  /** the vault's UUID, lower case */
  vaultId: string;
  /** 8 hex digits */
  splitId: string;
  /** 1..count: which custodian's share this is */
  index: number;
  threshold: number;
  count: number;
  /** shamir-secret-sharing's share: y(32) || x(1) */
  value: Uint8Array;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The vault id as 16 bytes; a vault id that is not a UUID is refused. */
export function vaultIdBytes(vaultId: string): Buffer {
  if (typeof vaultId !== 'string' || !UUID.test(vaultId)) {
    throw validation(`Invalid vault id ${JSON.stringify(String(vaultId).slice(0, 64))}: expected a UUID (8-4-4-4-12 hex digits).`);
  }
  return Buffer.from(vaultId.replace(/-/g, ''), 'hex');
}

export function vaultIdFromBytes(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function splitIdBytes(splitId: string): Buffer {
  if (typeof splitId !== 'string' || !/^[0-9a-f]{8}$/.test(splitId)) {
    throw validation(`Invalid split id ${JSON.stringify(String(splitId).slice(0, 64))}: expected 8 lower-case hex digits.`);
  }
  return Buffer.from(splitId, 'hex');
}

/** Checks M and N against the bounds; ValidationException names the bound broken. */
export function checkThreshold(threshold: number, count: number): void {
  const int = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x);
  if (!int(count) || count < MIN_THRESHOLD || count > MAX_SHARES) {
    throw validation(`The number of shares must be an integer from ${MIN_THRESHOLD} to ${MAX_SHARES}, got ${String(count)}.`);
  }
  if (!int(threshold) || threshold < MIN_THRESHOLD || threshold > count) {
    throw validation(`The threshold must be an integer from ${MIN_THRESHOLD} to the number of shares (${count}), got ${String(threshold)}.`);
  }
}

function checksum(payload: Uint8Array): Buffer {
  return createHash('sha256').update(payload).digest().subarray(0, CHECKSUM_LENGTH);
}

/** True when the record's last 4 bytes are its checksum (the paper form searches with this). */
export function checksumMatches(record: Uint8Array): boolean {
  if (record.length !== SHARE_RECORD_LENGTH) return false;
  return checksum(record.subarray(0, PAYLOAD_LENGTH)).equals(record.subarray(PAYLOAD_LENGTH));
}

export function encodeShare(s: RecoveryShare): Buffer {
  checkThreshold(s.threshold, s.count);
  if (!Number.isSafeInteger(s.index) || s.index < 1 || s.index > s.count) {
    throw validation(`The share index must be from 1 to ${s.count}, got ${String(s.index)}.`);
  }
  if (!(s.value instanceof Uint8Array) || s.value.length !== SHARE_VALUE_LENGTH) {
    throw new RangeError(`expected share value of length ${SHARE_VALUE_LENGTH}, got length=${s.value?.length}`);
  }
  const out = Buffer.alloc(SHARE_RECORD_LENGTH);
  out[0] = SHARE_FORMAT_VERSION;
  vaultIdBytes(s.vaultId).copy(out, 1);
  splitIdBytes(s.splitId).copy(out, 17);
  out[21] = s.index;
  out[22] = s.threshold;
  out[23] = s.count;
  out.set(s.value, 24);
  checksum(out.subarray(0, PAYLOAD_LENGTH)).copy(out, PAYLOAD_LENGTH);
  return out;
}

/** "1st", "2nd", "3rd", "4th", … for naming a share by its place in a list. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * Reads a share record. `what` names the share in messages ("the 2nd share
 * given", "share file"). Every problem is InvalidCiphertextException: a share
 * is the vault's own output coming back, and one that is damaged, mistyped or
 * altered is "corrupted or otherwise invalid" in AWS's words.
 */
export function decodeShare(record: Uint8Array, what = 'The share'): RecoveryShare {
  if (!(record instanceof Uint8Array)) throw validation(`${what} must be bytes.`);
  if (record.length === 0) throw invalidCiphertext(`${what} is empty.`);
  if (record[0] !== SHARE_FORMAT_VERSION) {
    throw invalidCiphertext(`${what} has format version ${record[0]}; this Strongroom reads version ${SHARE_FORMAT_VERSION}.`);
  }
  if (record.length !== SHARE_RECORD_LENGTH) {
    throw invalidCiphertext(`${what} has ${record.length} bytes, expected ${SHARE_RECORD_LENGTH}: it is truncated or damaged.`);
  }
  if (!checksumMatches(record)) {
    throw invalidCiphertext(`${what} does not match its checksum: it was mistyped or damaged.`);
  }
  const b = Buffer.from(record);
  const share: RecoveryShare = {
    vaultId: vaultIdFromBytes(b.subarray(1, 17)),
    splitId: b.subarray(17, 21).toString('hex'),
    index: b[21]!,
    threshold: b[22]!,
    count: b[23]!,
    value: new Uint8Array(b.subarray(24, 24 + SHARE_VALUE_LENGTH)),
  };
  try {
    checkThreshold(share.threshold, share.count);
  } catch (e) {
    // a checksum-valid record with impossible numbers was made so on purpose
    throw invalidCiphertext(`${what} carries an impossible split: ${(e as KmsError).message}`);
  }
  if (share.index < 1 || share.index > share.count) {
    throw invalidCiphertext(`${what} carries index ${share.index}, outside 1..${share.count}.`);
  }
  const x = share.value[RECOVERY_KEY_LENGTH];
  if (x === 0) throw invalidCiphertext(`${what} carries the x coordinate 0, which no share has.`);
  b.fill(0);
  return share;
}

/** How a share is named to its custodian: "share 2 of 5 (3 needed) for vault …". */
export function describeShare(s: Pick<RecoveryShare, 'index' | 'count' | 'threshold' | 'vaultId'>): string {
  return `share ${s.index} of ${s.count} (${s.threshold} needed) for vault ${s.vaultId}`;
}
