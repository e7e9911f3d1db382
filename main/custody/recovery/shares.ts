// Splitting the vault recovery key M-of-N among custodians, and combining M
// shares back, with shamir-secret-sharing (audited by Cure53 and Zellic;
// GF(2^8) with the AES polynomial, one random x coordinate per share). This
// file does no field arithmetic of its own (issue 13).
//
// Every share is a share-record.ts record; the split's commitment
// (commitment.ts) is what the vault keeps. combineRecoveryShares checks each
// share against it before any arithmetic, and names what is wrong:
//
//   damaged or mistyped (checksum)           InvalidCiphertextException
//   for another vault, or another split      InvalidCiphertextException
//   a threshold other than the split's       InvalidCiphertextException
//   well formed but not the share handed out InvalidCiphertextException
//   the same share twice, too few shares     ValidationException
//
// A share is the vault's own output coming back, so a bad one is AWS's
// InvalidCiphertextException ("corrupted, missing, or otherwise invalid");
// a set of good shares that cannot make the key is a bad request.
import { randomBytes } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import { invalidCiphertext, validation } from '../../core/errors.js';
import { digestMatches, parseSplitCommitment, shareDigest, type SplitCommitment } from './commitment.js';
import {
  RECOVERY_KEY_LENGTH,
  SPLIT_ID_LENGTH,
  checkThreshold,
  decodeShare,
  encodeShare,
  ordinal,
  vaultIdBytes,
  type RecoveryShare,
} from './share-record.js';

const DIGEST_DOMAIN = 'strongroom:recovery-share:v1';

/**
 * What the shares are combined to open, for the message naming a share of
 * another split: the vault (whose current split is the only one that opens
 * it), or a backup (which opens with the split in force when it was made).
 */
export type ShareTarget = 'vault' | 'backup';

export interface RecoverySplit {
  /** what the vault must keep to check shares (recovery custody record) */
  commitment: SplitCommitment;
  /** share i at [i - 1]: a share-record.ts record for custodian i */
  shares: Buffer[];
}

/** A new recovery key: 32 bytes from the OS CSPRNG. */
export function newRecoveryKey(): Buffer {
  return randomBytes(RECOVERY_KEY_LENGTH);
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== RECOVERY_KEY_LENGTH) {
    throw validation(`The recovery key must be ${RECOVERY_KEY_LENGTH} bytes, got ${key instanceof Uint8Array ? key.length : typeof key}.`);
  }
}

/** Splits the vault's recovery key into `count` shares, any `threshold` of which recover it. */
export async function splitRecoveryKey(vaultId: string, recoveryKey: Uint8Array, threshold: number, count: number): Promise<RecoverySplit> {
  vaultIdBytes(vaultId);
  checkKey(recoveryKey);
  checkThreshold(threshold, count);
  const id = vaultId.toLowerCase();
  const splitId = randomBytes(SPLIT_ID_LENGTH).toString('hex');
  // shamir-secret-sharing wants a plain Uint8Array (it checks the constructor)
  const secret = new Uint8Array(recoveryKey);
  const values = await split(secret, count, threshold);
  secret.fill(0);
  const shares = values.map((value, i) => {
    const record = encodeShare({ vaultId: id, splitId, index: i + 1, threshold, count, value });
    value.fill(0);
    return record;
  });
  return {
    commitment: {
      version: 1,
      scheme: 'strongroom-shamir-v1',
      vaultId: id,
      splitId,
      threshold,
      count,
      shareDigests: shares.map((r) => shareDigest(DIGEST_DOMAIN, r)),
    },
    shares,
  };
}

/**
 * Reads one share and checks it belongs to the committed split: lets a caller
 * accept or refuse each share as its custodian enters it. `what` names the
 * share in messages ("the 2nd share given").
 */
export function verifyShare(record: Uint8Array, recorded: SplitCommitment, what = 'The share', target: ShareTarget = 'vault'): RecoveryShare {
  const commitment = parseSplitCommitment(recorded);
  if (commitment.scheme !== 'strongroom-shamir-v1') {
    throw validation(`This recovery split is in the ${commitment.scheme} form; read its shares with the ssss reader.`);
  }
  const s = decodeShare(record, what);
  if (s.vaultId !== commitment.vaultId) {
    throw invalidCiphertext(`${what} is share ${s.index} for vault ${s.vaultId}, not for this vault (${commitment.vaultId}).`);
  }
  if (s.splitId !== commitment.splitId) {
    throw invalidCiphertext(
      target === 'backup'
        ? `${what} is share ${s.index} of another recovery split of this vault (split ${s.splitId}): this backup opens with the shares of split ${commitment.splitId}, the split in force when it was made.`
        : `${what} is share ${s.index} of another recovery split of this vault (split ${s.splitId}; the current split is ${commitment.splitId}). ` +
            'Shares of an earlier split no longer open the vault.',
    );
  }
  if (s.threshold !== commitment.threshold || s.count !== commitment.count) {
    throw invalidCiphertext(
      `${what} says ${s.threshold} of ${s.count} shares are needed, but this split needs ${commitment.threshold} of ${commitment.count}: it was altered.`,
    );
  }
  if (!digestMatches(commitment, s.index, shareDigest(DIGEST_DOMAIN, record))) {
    throw invalidCiphertext(
      `${what} claims to be share ${s.index} but is not the share ${s.index} this vault handed out: ` +
        'its checksum is intact, so it was altered on purpose or made for another split.',
    );
  }
  return s;
}

function listIndexes(xs: number[]): string {
  const sorted = [...xs].sort((a, b) => a - b);
  if (sorted.length <= 1) return sorted.join('');
  return `${sorted.slice(0, -1).join(', ')} and ${sorted.at(-1)}`;
}

/**
 * Combines shares back into the recovery key. Every share is checked against
 * the split's commitment first; the key is returned only from shares the vault
 * handed out, so it is the split's key (the caller zeroes it after use).
 */
export async function combineRecoveryShares(records: Uint8Array[], recorded: SplitCommitment, target: ShareTarget = 'vault'): Promise<Buffer> {
  const commitment = parseSplitCommitment(recorded);
  if (!Array.isArray(records)) throw validation('The shares must be a list.');
  if (records.length > 4 * commitment.count) throw validation(`${records.length} shares were given; this split has only ${commitment.count}.`);
  const byIndex = new Map<number, { share: RecoveryShare; position: number }>();
  try {
    records.forEach((record, i) => {
      const what = `The ${ordinal(i + 1)} share given`;
      const share = verifyShare(record, commitment, what, target);
      const seen = byIndex.get(share.index);
      if (seen) {
        share.value.fill(0);
        throw validation(`Share ${share.index} was given twice (the ${ordinal(seen.position)} and ${ordinal(i + 1)} given); each custodian's share counts once.`);
      }
      byIndex.set(share.index, { share, position: i + 1 });
    });
    const needed = commitment.threshold;
    if (byIndex.size < needed) {
      const have = byIndex.size;
      const which = have === 0 ? '' : ` (share${have === 1 ? '' : 's'} ${listIndexes([...byIndex.keys()])})`;
      const more = needed - have;
      throw validation(`${have} of the ${needed} shares needed ${have === 1 ? 'was' : 'were'} given${which}; ${more} more ${more === 1 ? 'is' : 'are'} needed.`);
    }
    // Any `needed` verified shares determine the polynomial; the rest add nothing.
    const values = [...byIndex.values()].sort((a, b) => a.share.index - b.share.index).map((e) => e.share.value);
    const secret = await combine(values.slice(0, needed));
    const key = Buffer.from(secret);
    secret.fill(0);
    return key;
  } finally {
    for (const { share } of byIndex.values()) share.value.fill(0);
  }
}
