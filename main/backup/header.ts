// The header of a Strongroom backup, format version 1 (docs/backup-format.md
// is the normative description; this module is its implementation).
//
//   magic(8) version(1) json length(4) | JSON | checksum(32) | MAC(32)
//
// The JSON names the vault, when the backup was made, the schema of the
// database inside, the segmenting, the source vault's custody record and
// the key slots (key-slots.ts: the data key under the master key, and the
// vault's recovery record). The checksum (SHA-256 of everything before it) is not
// authentication: it tells a damaged header from a wrong key before any of
// its fields is used to look a key up. The MAC (HMAC-SHA-256 under a key
// derived from the data key, keys.ts) authenticates the header; it is every
// segment's associated data, which binds the segments to it.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { invalidCiphertext, isKmsError } from '../core/errors.js';
import { recoveryRecordJson, recoveryRecordOf, type RecoveryRecord } from '../custody/recovery-record.js';
import { parseCustodyRecord, type CustodyRecord } from '../custody/vault-master-key.js';
import { MAX_SEGMENT_SIZE, MIN_SEGMENT_SIZE, NONCE_PREFIX_LENGTH } from '../files/format.js';
import { COMMITMENT_LENGTH, SALT_LENGTH, type BackupKeys } from './keys.js';
import { VMK_SLOT_LENGTH } from './key-slots.js';

/** `\x89SRB\r\n\x1a\n`: as the file format's `\x89SRF…` (files/format.ts), B for backup. */
export const MAGIC = Buffer.from([0x89, 0x53, 0x52, 0x42, 0x0d, 0x0a, 0x1a, 0x0a]);
export const FORMAT_VERSION = 1;
/** magic(8) version(1) JSON length(4) */
export const PREAMBLE_LENGTH = MAGIC.length + 1 + 4;
const CHECKSUM_LENGTH = 32;
const MAC_LENGTH = 32;
/** bytes of the header beyond its JSON */
export const HEADER_OVERHEAD = PREAMBLE_LENGTH + CHECKSUM_LENGTH + MAC_LENGTH;
/** the custody record and the key slots are under 4 KiB (a recovery record of 16 custodians included) */
export const MAX_JSON_LENGTH = 64 * 1024;

export interface BackupHeaderFields {
  vaultId: string;
  /** when the snapshot was taken, ISO-8601 UTC */
  createdAt: string;
  /** the database's schema version (PRAGMA user_version) */
  schemaVersion: number;
  /** the database's length: the plaintext of the segments */
  databaseBytes: number;
  segmentSize: number;
  salt: Buffer;
  noncePrefix: Buffer;
  commitment: Buffer;
  /** the source vault's custody record, as its vault_meta holds it: how its master key is found */
  custody: CustodyRecord;
  /** vmk: the data key under the master key; recovery: the vault's recovery record, when it had a recovery split */
  keySlots: { vmk: Buffer; recovery?: RecoveryRecord };
}

export interface BackupHeader extends BackupHeaderFields {
  /** the whole header as stored, checksum and MAC included */
  readonly bytes: Buffer;
  readonly mac: Buffer;
}

const NOT_A_BACKUP = 'The input is not a Strongroom backup (its first bytes are not the Strongroom backup signature).';
const damaged = (why: string) => invalidCiphertext(`The backup's header is damaged: ${why}. The file was changed after it was written, or it is not a whole Strongroom backup.`);

const VAULT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** standard base64 (RFC 4648 §4), padded, of exactly `n` bytes */
const b64 = (n: number) =>
  z
    .string()
    .length(4 * Math.ceil(n / 3))
    .regex(/^[A-Za-z0-9+/]*={0,2}$/)
    .transform((s, ctx) => {
      const b = Buffer.from(s, 'base64');
      if (b.length !== n || b.toString('base64') !== s) ctx.addIssue({ code: 'custom', message: `expected ${n} bytes in base64` });
      return b;
    });

const headerSchema = z.strictObject({
  vaultId: z.string().regex(VAULT_ID),
  createdAt: z.string().regex(ISO_TIME).refine((t) => Number.isFinite(Date.parse(t)), 'not a time'),
  schemaVersion: z.number().int().min(1).max(2 ** 31 - 1),
  databaseBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  segmentSize: z.number().int().min(MIN_SEGMENT_SIZE).max(MAX_SEGMENT_SIZE),
  salt: b64(SALT_LENGTH),
  noncePrefix: b64(NONCE_PREFIX_LENGTH),
  commitment: b64(COMMITMENT_LENGTH),
  custody: z.unknown(),
  keySlots: z.strictObject({ vmk: b64(VMK_SLOT_LENGTH), recovery: z.unknown().optional() }),
});

/** The header's bytes: its JSON with members in this order, the checksum, and the MAC under `keys`. */
export function encodeHeader(f: BackupHeaderFields, keys: BackupKeys): BackupHeader {
  const json = Buffer.from(
    JSON.stringify({
      vaultId: f.vaultId,
      createdAt: f.createdAt,
      schemaVersion: f.schemaVersion,
      databaseBytes: f.databaseBytes,
      segmentSize: f.segmentSize,
      salt: f.salt.toString('base64'),
      noncePrefix: f.noncePrefix.toString('base64'),
      commitment: f.commitment.toString('base64'),
      custody: f.custody,
      keySlots: { vmk: f.keySlots.vmk.toString('base64'), ...(f.keySlots.recovery ? { recovery: recoveryRecordJson(f.keySlots.recovery) } : {}) },
    }),
    'utf8',
  );
  if (json.length > MAX_JSON_LENGTH) throw new Error(`backup header JSON of ${json.length} bytes exceeds ${MAX_JSON_LENGTH}`);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  const body = Buffer.concat([MAGIC, Buffer.of(FORMAT_VERSION), length, json]);
  const checked = Buffer.concat([body, createHash('sha256').update(body).digest()]);
  const bytes = Buffer.concat([checked, createHmac('sha256', keys.macKey).update(checked).digest()]);
  return parseHeader(bytes);
}

/**
 * Reads the preamble: the signature, the version, and the length of the
 * whole header. InvalidCiphertextException otherwise.
 */
export function headerLength(preamble: Buffer): number {
  if (preamble.length < PREAMBLE_LENGTH || !preamble.subarray(0, MAGIC.length).equals(MAGIC)) throw invalidCiphertext(NOT_A_BACKUP);
  const version = preamble[MAGIC.length]!;
  if (version !== FORMAT_VERSION) throw invalidCiphertext(`The file is a Strongroom backup of format version ${version}; this Strongroom reads version ${FORMAT_VERSION} only.`);
  const json = preamble.readUInt32BE(MAGIC.length + 1);
  if (json < 2 || json > MAX_JSON_LENGTH) throw damaged(`its length ${json} is out of range`);
  return HEADER_OVERHEAD + json;
}

/**
 * Parses a whole header: checks its checksum, then its fields' structure.
 * Nothing in it is authenticated until authenticateHeader.
 */
export function parseHeader(bytes: Buffer): BackupHeader {
  const length = headerLength(bytes);
  if (bytes.length !== length) throw damaged(`expected ${length} header bytes, got ${bytes.length}`);
  const body = bytes.subarray(0, length - CHECKSUM_LENGTH - MAC_LENGTH);
  const checksum = bytes.subarray(body.length, body.length + CHECKSUM_LENGTH);
  if (!timingSafeEqual(createHash('sha256').update(body).digest(), checksum)) throw damaged('its checksum does not match');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(PREAMBLE_LENGTH)));
  } catch {
    throw damaged('it is not JSON');
  }
  const r = headerSchema.safeParse(parsed);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw damaged(`${issue?.path.join('.') || 'the header'}: ${issue?.message ?? 'invalid'}`);
  }
  let custody: CustodyRecord;
  try {
    custody = parseCustodyRecord(r.data.custody);
  } catch (e) {
    if (isKmsError(e)) throw damaged('its custody record is malformed');
    throw e;
  }
  let recovery: RecoveryRecord | undefined;
  if (r.data.keySlots.recovery !== undefined) {
    try {
      recovery = recoveryRecordOf(r.data.keySlots.recovery, r.data.vaultId);
    } catch (e) {
      if (isKmsError(e)) throw damaged('its recovery record is malformed');
      throw e;
    }
  }
  return {
    ...r.data,
    custody,
    keySlots: { vmk: r.data.keySlots.vmk, ...(recovery ? { recovery } : {}) },
    bytes,
    mac: bytes.subarray(length - MAC_LENGTH),
  };
}

/**
 * Authenticates the header with the keys from its data key: the key
 * commitment first, then the MAC, both in constant time.
 * InvalidCiphertextException when either fails.
 */
export function authenticateHeader(h: BackupHeader, keys: BackupKeys): void {
  if (!timingSafeEqual(h.commitment, keys.commitment)) {
    throw invalidCiphertext("The backup's key commitment does not match its data key: the header was modified.");
  }
  const covered = h.bytes.subarray(0, h.bytes.length - MAC_LENGTH);
  if (!timingSafeEqual(createHmac('sha256', keys.macKey).update(covered).digest(), h.mac)) {
    throw invalidCiphertext("The backup's header failed authentication: it was modified after the backup was made.");
  }
}
