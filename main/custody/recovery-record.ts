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
import { invalidCiphertext, KmsError } from '../core/errors.js';
import { parseSplitCommitment, type SplitCommitment } from './recovery/commitment.js';

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
  const r = schema.safeParse(value);
  if (!r.success) throw broken(r.error.issues[0]?.message ?? 'its shape is wrong');
  const commitment = parseSplitCommitment(r.data.commitment);
  if (commitment.vaultId !== vaultId.toLowerCase()) throw broken(`it names vault ${commitment.vaultId}`);
  if (r.data.custodians.length !== commitment.count) throw broken('it names a custodian per share, and does not');
  return { ...r.data, commitment } as RecoveryRecord;
}

/** The vault master key, opened with the recovery key the custodians' shares make. */
export function openVmkWithRecoveryKey(record: RecoveryRecord, recoveryKey: Uint8Array, vaultId: string): Buffer {
  const vmk = open(recoveryKey, Buffer.from(record.wrappedVmk, 'base64'), recoveryAad(vaultId, record.commitment.splitId));
  if (!vmk) {
    throw invalidCiphertext(
      "The shares make a recovery key that does not open this vault's master key: the vault's recovery record was changed outside Strongroom. Nothing was changed.",
    );
  }
  return vmk;
}

const broken = (why: string) => new KmsError('KMSInvalidStateException', `The vault's recovery record is damaged (${why}); recover from a backup instead.`);
