// The vault's recovery record (DESIGN §10, issue 13): a second custody
// record beside the keychain or passphrase one. It holds the vault master
// key sealed (AES-256-GCM) under a recovery key that exists nowhere but as
// M-of-N Shamir shares held by named custodians (custody/recovery/), and the
// split's commitment, which names a share that is not one of this split's.
// Any M custodians can then open the vault on a machine whose keychain never
// held it. It is stored in the vault file (vault_meta 'recovery') under a
// row MAC (core/integrity/row-mac.ts), which can only be checked once the
// master key is open: before that, an edited record can make honest shares
// fail, never make chosen shares open the vault, since the recovered key
// must still open the sealed master key.
import { z } from 'zod';
import { open } from '../core/crypto/aes-gcm.js';
import { invalidCiphertext, KmsError, validation } from '../core/errors.js';
import { parseSplitCommitment, type SplitCommitment } from './recovery/commitment.js';
import { combineRecoveryShares, type ShareTarget } from './recovery/shares.js';
import { combineSsssShares } from './recovery/ssss.js';

export interface RecoveryRecord {
  version: 1;
  /** the split's commitment (custody/recovery/commitment.ts): scheme, vault, split id, M, N, share digests */
  commitment: SplitCommitment;
  /** the custodians' names, share i's at [i - 1] */
  custodians: string[];
  /** when the split was made (ISO-8601) */
  createdAt: string;
  /** base64 of nonce ‖ AES-256-GCM(recovery key, vault master key, recoveryAad) ‖ tag */
  wrappedVmk: string;
}

const schema = z.strictObject({
  version: z.literal(1),
  commitment: z.unknown(),
  custodians: z.array(z.string().min(1).max(64)).min(2).max(16),
  createdAt: z.iso.datetime(),
  wrappedVmk: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
});

/** The associated data of the sealed master key: this vault, this split (a record copied from another vault or split fails). */
export const recoveryAad = (vaultId: string, splitId: string): Buffer => Buffer.from(`strongroom/recovery-key/v1\0${vaultId}\0${splitId}`);

/** Validates a recovery record read back from the vault file; a broken one is the vault's state: KMSInvalidStateException. */
export function parseRecoveryRecord(json: string, vaultId: string): RecoveryRecord {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw broken('it is not JSON');
  }
  return recoveryRecordOf(value, vaultId);
}

/** Validates a recovery record already parsed from JSON (a backup's header carries one as an object); KMSInvalidStateException. */
export function recoveryRecordOf(value: unknown, vaultId: string): RecoveryRecord {
  const r = schema.safeParse(value);
  if (!r.success) throw broken(r.error.issues[0]?.message ?? 'its shape is wrong');
  const commitment = parseSplitCommitment(r.data.commitment);
  if (commitment.vaultId !== vaultId.toLowerCase()) throw broken(`it names vault ${commitment.vaultId}`);
  if (r.data.custodians.length !== commitment.count) throw broken('it names a custodian per share, and does not');
  return { ...r.data, commitment } as RecoveryRecord;
}

/**
 * The record with its members in the order Strongroom writes them (the
 * vault file's JSON, a backup header's member): what a writer emits, so
 * that the same record is the same bytes wherever it is written.
 */
export function recoveryRecordJson(r: RecoveryRecord): RecoveryRecord {
  const c = r.commitment;
  return {
    version: r.version,
    commitment: { version: c.version, scheme: c.scheme, vaultId: c.vaultId, splitId: c.splitId, threshold: c.threshold, count: c.count, shareDigests: [...c.shareDigests] },
    custodians: [...r.custodians],
    createdAt: r.createdAt,
    wrappedVmk: r.wrappedVmk,
  };
}

/**
 * The vault master key, opened with the recovery key the custodians' shares
 * make. `target` says whose record it is, for the refusal: the vault's, or
 * the one a backup carries.
 */
export function openVmkWithRecoveryKey(record: RecoveryRecord, recoveryKey: Uint8Array, vaultId: string, target: ShareTarget = 'vault'): Buffer {
  const vmk = open(recoveryKey, Buffer.from(record.wrappedVmk, 'base64'), recoveryAad(vaultId, record.commitment.splitId));
  if (!vmk) {
    const changed = target === 'backup' ? "the backup's recovery record was changed after the backup was made" : "the vault's recovery record was changed outside Strongroom";
    throw invalidCiphertext(`The shares make a recovery key that does not open this vault's master key: ${changed}. Nothing was changed.`);
  }
  return vmk;
}

/** The shares the custodians gave: share records (read from files, words or QR codes), or ssss-combine lines. */
export type GivenShares = { records: Uint8Array[] } | { ssssLines: string[] };

/**
 * The vault master key from M custodians' shares: each share checked against
 * the record's commitment (a bad, foreign or earlier-split share is named,
 * custody/recovery/shares.ts and ssss.ts), combined into the recovery key,
 * which opens the record's sealed master key (the caller zeroes it).
 * `target`: what the shares open, the vault or a backup, for the messages.
 */
export async function openVmkWithShares(record: RecoveryRecord, shares: GivenShares, vaultId: string, target: ShareTarget = 'vault'): Promise<Buffer> {
  const { commitment } = record;
  const ssss = commitment.scheme === 'ssss-0.5';
  if (ssss !== 'ssssLines' in shares) {
    throw validation(`This vault's shares are ${ssss ? 'ssss lines' : 'Strongroom share files, words or QR codes'}; give those.`);
  }
  const key = 'ssssLines' in shares ? combineSsssShares(shares.ssssLines, commitment) : await combineRecoveryShares(shares.records, commitment, target);
  try {
    return openVmkWithRecoveryKey(record, key, vaultId, target);
  } finally {
    key.fill(0);
  }
}

/**
 * What a recovery record says of its split, so the custodians can be asked
 * by name and a share of another vault or split refused before anyone types
 * a passphrase. Read before the record can be authenticated (that needs the
 * master key), so it is for asking, not for deciding: the shares are checked
 * against the record again when they are combined.
 */
export interface RecoverySplitInfo {
  vaultId: string;
  splitId: string;
  scheme: 'strongroom' | 'ssss';
  threshold: number;
  count: number;
  /** share i's custodian at [i - 1] */
  custodians: string[];
}

export function splitInfo(record: RecoveryRecord, vaultId: string): RecoverySplitInfo {
  const c = record.commitment;
  return { vaultId, splitId: c.splitId, scheme: c.scheme === 'ssss-0.5' ? 'ssss' : 'strongroom', threshold: c.threshold, count: c.count, custodians: [...record.custodians] };
}

const broken = (why: string) => new KmsError('KMSInvalidStateException', `The vault's recovery record is damaged (${why}); recover from a backup instead.`);
