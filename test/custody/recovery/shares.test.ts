// Splitting the recovery key M-of-N with shamir-secret-sharing and combining
// it back (issue 13): every quorum of a 3-of-5 split recovers the key, every
// smaller set is refused by name, and a damaged, altered, foreign or repeated
// share is named before any arithmetic.
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSplitCommitment, type SplitCommitment } from '../../../main/custody/recovery/commitment.js';
import { decodeShare, encodeShare, SHARE_RECORD_LENGTH } from '../../../main/custody/recovery/share-record.js';
import { combineRecoveryShares, newRecoveryKey, splitRecoveryKey, verifyShare } from '../../../main/custody/recovery/shares.js';
import { failsWith, subsets } from './helpers.js';

const vaultId = randomUUID();
const key = newRecoveryKey();
const split = await splitRecoveryKey(vaultId, key, 3, 5);
const { commitment, shares } = split;
const share = (i: number) => shares[i - 1]!;

describe('a 3-of-5 split', () => {
  it('gives five 61-byte records naming the vault, the split, their index and 3 of 5', () => {
    expect(shares).toHaveLength(5);
    shares.forEach((r, i) => {
      expect(r).toHaveLength(SHARE_RECORD_LENGTH);
      expect(decodeShare(r)).toMatchObject({ vaultId, splitId: commitment.splitId, index: i + 1, threshold: 3, count: 5 });
    });
    expect(commitment).toMatchObject({ version: 1, scheme: 'strongroom-shamir-v1', vaultId, threshold: 3, count: 5 });
    expect(new Set(commitment.shareDigests).size).toBe(5);
    // the record holds shares, never the key itself
    for (const r of shares) expect(r.includes(key.subarray(0, 8))).toBe(false);
  });

  it.each(subsets([1, 2, 3, 4, 5], 3))('recovers the key from shares %i, %i and %i', async (...which) => {
    expect((await combineRecoveryShares(which.map(share), commitment)).equals(key)).toBe(true);
  });

  it('recovers the key from 4 or 5 shares, in any order', async () => {
    for (const which of [...subsets([1, 2, 3, 4, 5], 4), [5, 3, 1, 4, 2]]) {
      expect((await combineRecoveryShares(which.map(share), commitment)).equals(key)).toBe(true);
    }
  });

  it.each(subsets([1, 2, 3, 4, 5], 2))('refuses shares %i and %i alone: 2 of the 3 needed', async (a, b) => {
    const e = await failsWith(() => combineRecoveryShares([share(a), share(b)], commitment), 'ValidationException');
    expect(e.message).toBe(`2 of the 3 shares needed were given (shares ${a} and ${b}); 1 more is needed.`);
  });

  it('refuses one share and none, saying how many are needed', async () => {
    expect((await failsWith(() => combineRecoveryShares([share(4)], commitment), 'ValidationException')).message).toBe(
      '1 of the 3 shares needed was given (share 4); 2 more are needed.',
    );
    expect((await failsWith(() => combineRecoveryShares([], commitment), 'ValidationException')).message).toBe(
      '0 of the 3 shares needed were given; 3 more are needed.',
    );
  });

  it('names a share given twice, even when enough others are there', async () => {
    const e = await failsWith(() => combineRecoveryShares([share(1), share(2), share(1), share(3)], commitment), 'ValidationException');
    expect(e.message).toBe("Share 1 was given twice (the 1st and 3rd given); each custodian's share counts once.");
  });
});

describe('a bad share is named, never combined', () => {
  it('one changed byte anywhere in a share is caught by its checksum (or version), naming its place in the list', async () => {
    for (let at = 0; at < SHARE_RECORD_LENGTH; at++) {
      const bad = Buffer.from(share(2));
      bad[at]! ^= 0x10;
      const e = await failsWith(() => combineRecoveryShares([share(1), bad, share(3)], commitment), 'InvalidCiphertextException');
      expect(e.message).toBe(
        at === 0
          ? 'The 2nd share given has format version 17; this Strongroom reads version 1.'
          : 'The 2nd share given does not match its checksum: it was mistyped or damaged.',
      );
    }
  });

  it('a truncated or empty share is named', async () => {
    const e = await failsWith(() => combineRecoveryShares([share(1), share(2).subarray(0, 40), share(3)], commitment), 'InvalidCiphertextException');
    expect(e.message).toBe('The 2nd share given has 40 bytes, expected 61: it is truncated or damaged.');
    await failsWith(() => combineRecoveryShares([new Uint8Array(0), share(2), share(3)], commitment), 'InvalidCiphertextException');
  });

  it('a share from another vault is refused, naming both vaults', async () => {
    const otherVault = randomUUID();
    const other = await splitRecoveryKey(otherVault, key, 3, 5);
    const e = await failsWith(() => combineRecoveryShares([share(1), share(2), other.shares[2]!], commitment), 'InvalidCiphertextException');
    expect(e.message).toBe(`The 3rd share given is share 3 for vault ${otherVault}, not for this vault (${vaultId}).`);
  });

  it('a share of an earlier split of the same vault is refused as such', async () => {
    const earlier = await splitRecoveryKey(vaultId, key, 3, 5);
    const e = await failsWith(() => combineRecoveryShares([earlier.shares[0]!, share(2), share(3)], commitment), 'InvalidCiphertextException');
    expect(e.message).toMatch(new RegExp(`^The 1st share given is share 1 of another recovery split of this vault \\(split ${earlier.commitment.splitId}; the current split is ${commitment.splitId}\\)`));
  });

  it('a share rewritten with a valid checksum but other share bytes is named by its index', async () => {
    const s = decodeShare(share(4));
    s.value[5]! ^= 1;
    const forged = encodeShare(s);
    const e = await failsWith(() => combineRecoveryShares([share(1), share(2), forged], commitment), 'InvalidCiphertextException');
    expect(e.message).toBe(
      'The 3rd share given claims to be share 4 but is not the share 4 this vault handed out: its checksum is intact, so it was altered on purpose or made for another split.',
    );
  });

  it('a share claiming another index than its own is named', async () => {
    const s = decodeShare(share(4));
    const moved = encodeShare({ ...s, index: 5 });
    const e = await failsWith(() => combineRecoveryShares([share(1), share(2), moved], commitment), 'InvalidCiphertextException');
    expect(e.message).toMatch(/^The 3rd share given claims to be share 5 but is not the share 5 this vault handed out/);
  });

  it('mixed thresholds are named', async () => {
    const s = decodeShare(share(3));
    const relabelled = encodeShare({ ...s, threshold: 2 });
    const e = await failsWith(() => combineRecoveryShares([share(1), share(2), relabelled], commitment), 'InvalidCiphertextException');
    expect(e.message).toBe('The 3rd share given says 2 of 5 shares are needed, but this split needs 3 of 5: it was altered.');
  });

  it('a share of a 2-of-3 split of the same key, for the same vault, does not pass as a share of the 3-of-5', async () => {
    const small = await splitRecoveryKey(vaultId, key, 2, 3);
    await failsWith(() => combineRecoveryShares([share(1), share(2), small.shares[0]!], commitment), 'InvalidCiphertextException');
  });

  it('verifyShare accepts a good share and names a bad one on its own', async () => {
    expect(verifyShare(share(5), commitment)).toMatchObject({ index: 5, threshold: 3, count: 5 });
    const bad = Buffer.from(share(5));
    bad[30]! ^= 0xff;
    expect((await failsWith(() => verifyShare(bad, commitment), 'InvalidCiphertextException')).message).toBe(
      'The share does not match its checksum: it was mistyped or damaged.',
    );
  });
});

describe('the commitment the vault keeps', () => {
  it('round-trips through JSON and is validated on the way back', async () => {
    const back = parseSplitCommitment(JSON.parse(JSON.stringify(commitment)));
    expect(back).toEqual(commitment);
    expect((await combineRecoveryShares([share(2), share(4), share(5)], back)).equals(key)).toBe(true);
  });

  it('a malformed commitment is a state error naming the field', async () => {
    const broken = (patch: Partial<SplitCommitment>) => ({ ...commitment, ...patch });
    const cases: [unknown, RegExp][] = [
      [broken({ shareDigests: commitment.shareDigests.slice(0, 4) }), /at shareDigests: one digest per share expected/],
      [broken({ threshold: 6 }), /at threshold/],
      [broken({ threshold: 1 }), /at threshold/],
      [broken({ vaultId: 'not-a-uuid' }), /at vaultId/],
      [broken({ splitId: 'XYZ' }), /at splitId/],
      [{ ...commitment, extra: 1 }, /malformed/],
      [null, /malformed/],
    ];
    for (const [value, message] of cases) {
      const e = await failsWith(() => parseSplitCommitment(value), 'KMSInvalidStateException');
      expect(e.message).toMatch(message);
    }
  });

  it('combine refuses a malformed commitment before reading any share', async () => {
    const e = await failsWith(() => combineRecoveryShares(shares.slice(0, 3), { ...commitment, count: 4 }), 'KMSInvalidStateException');
    expect(e.message).toMatch(/at shareDigests: one digest per share expected/);
  });

  it('a commitment recording another digest for a share names that share', async () => {
    const altered = { ...commitment, shareDigests: [...commitment.shareDigests] };
    altered.shareDigests[1] = commitment.shareDigests[0]!;
    const e = await failsWith(() => combineRecoveryShares([share(1), share(2), share(3)], altered), 'InvalidCiphertextException');
    expect(e.message).toMatch(/^The 2nd share given claims to be share 2 but is not the share 2 this vault handed out/);
  });
});

describe('splitting refuses bad parameters', () => {
  it.each([
    [1, 5, /threshold must be an integer from 2 to the number of shares \(5\), got 1/],
    [6, 5, /threshold must be an integer from 2 to the number of shares \(5\), got 6/],
    [2, 17, /number of shares must be an integer from 2 to 16, got 17/],
    [2, 1, /number of shares must be an integer from 2 to 16, got 1/],
    [2.5, 5, /threshold/],
  ])('threshold %s of %s', async (m, n, message) => {
    expect((await failsWith(() => splitRecoveryKey(vaultId, key, m, n), 'ValidationException')).message).toMatch(message);
  });

  it('a key that is not 32 bytes, and a vault id that is not a UUID', async () => {
    await failsWith(() => splitRecoveryKey(vaultId, randomBytes(31), 2, 3), 'ValidationException');
    await failsWith(() => splitRecoveryKey('vault-1', key, 2, 3), 'ValidationException');
  });

  it('16 shares at most, any 16 recover a 16-of-16 split', async () => {
    const big = await splitRecoveryKey(vaultId, key, 16, 16);
    expect((await combineRecoveryShares(big.shares, big.commitment)).equals(key)).toBe(true);
    await failsWith(() => combineRecoveryShares(big.shares.slice(1), big.commitment), 'ValidationException');
  });
});

describe('properties over M, N in range', () => {
  const splitAndSubset = fc
    .integer({ min: 2, max: 16 })
    .chain((n) =>
      fc.record({
        n: fc.constant(n),
        m: fc.integer({ min: 2, max: n }),
        key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
        given: fc.shuffledSubarray(
          Array.from({ length: n }, (_, i) => i + 1),
          { minLength: 0, maxLength: n },
        ),
      }),
    );

  it('any M or more shares give the key back; fewer are refused with the count', async () => {
    await fc.assert(
      fc.asyncProperty(splitAndSubset, async ({ n, m, key: k, given }) => {
        const s = await splitRecoveryKey(vaultId, k, m, n);
        const records = given.map((i) => s.shares[i - 1]!);
        if (given.length >= m) {
          expect(Buffer.from(k).equals(await combineRecoveryShares(records, s.commitment))).toBe(true);
        } else {
          const e = await failsWith(() => combineRecoveryShares(records, s.commitment), 'ValidationException');
          expect(e.message).toMatch(new RegExp(`^${given.length} of the ${m} shares needed`));
        }
      }),
      { numRuns: 200 },
    );
  });
});
