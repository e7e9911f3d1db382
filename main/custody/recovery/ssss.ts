// The recovery key split in the form Debian's `ssss-combine` (ssss 0.5)
// recovers, so custodians can rebuild the recovery key without Strongroom,
// with an independently written standard tool (issue 13):
//
//   ssss-combine -x -t M      (then paste M of these lines)
//
// A share is one line, exactly as `ssss-split -x -w TOKEN` prints it:
//   TOKEN-i-yyyy…(64 hex digits)
// with i = 1..N (zero-padded to N's width) and y = f(i) in GF(2^256), where
// f(x) = x^M + c_{M-1}·x^{M-1} + … + c_1·x + c_0 (ssss's polynomials are monic
// of degree M), c_0 = the diffused secret and c_1..c_{M-1} random
// (ssss-field.ts has the field and the diffusion). TOKEN is
// "strongroom.<vault id without dashes>"; ssss-combine ignores tokens.
//
// This is a second split of the recovery key, independent of the
// shamir-secret-sharing one (shares.ts): the fields differ, so a quorum is M
// shares of one split, never a mix. Any M−1 shares of either split, or both,
// reveal nothing: each split uses its own randomness.
//
// What is checked for these shares: an ssss share carries no checksum, no
// threshold and no split id, so a mistyped hex digit cannot be told from a
// foreign share by the share alone. Strongroom checks the syntax, the token's
// vault id when the token is Strongroom's, and each share's SHA-256 digest
// against the split's commitment (commitment.ts), naming the share that
// does not match. ssss-combine itself checks nothing: wrong shares give it a
// wrong secret, which then fails to unwrap the vault master key.
import { randomBytes } from 'node:crypto';
import { invalidCiphertext, validation } from '../../core/errors.js';
import { digestMatches, parseSplitCommitment, shareDigest, type SplitCommitment } from './commitment.js';
import { RECOVERY_KEY_LENGTH, SPLIT_ID_LENGTH, checkThreshold, ordinal, splitIdBytes, vaultIdBytes } from './share-record.js';
import { bytesToElement, diffuse, elementToBytes, fieldInv, fieldMul, fieldPow, undiffuse } from './ssss-field.js';

const DIGEST_DOMAIN = 'strongroom:recovery-ssss-share:v1';
const TOKEN_PREFIX = 'strongroom.';
const HEX_DIGITS = RECOVERY_KEY_LENGTH * 2;
/** What a share line may hold before it is refused unread (ssss.c's MAXLINELEN is 406). */
const MAX_LINE = 512;

export interface SsssSplit {
  /** what the vault must keep to check shares (recovery custody record) */
  commitment: SplitCommitment;
  /** share i at [i - 1]: one line for ssss-combine */
  lines: string[];
}

interface SsssShare {
  token: string | undefined;
  index: number;
  y: bigint;
}

const vaultToken = (vaultId: string) => `${TOKEN_PREFIX}${vaultId.replace(/-/g, '')}`;

/** f(x) = x^M + Σ c_k x^k by Horner's rule, as ssss evaluates it. */
function evaluate(coefficients: bigint[], x: bigint): bigint {
  let y = x;
  for (let k = coefficients.length - 1; k >= 1; k--) y = fieldMul(y ^ coefficients[k]!, x);
  return y ^ coefficients[0]!;
}

/** Splits the recovery key into `count` ssss-form share lines, any `threshold` of which recover it. */
export function splitRecoveryKeySsss(vaultId: string, recoveryKey: Uint8Array, threshold: number, count: number): SsssSplit {
  vaultIdBytes(vaultId);
  if (!(recoveryKey instanceof Uint8Array) || recoveryKey.length !== RECOVERY_KEY_LENGTH) {
    throw validation(`The recovery key must be ${RECOVERY_KEY_LENGTH} bytes.`);
  }
  checkThreshold(threshold, count);
  const id = vaultId.toLowerCase();
  const splitId = randomBytes(SPLIT_ID_LENGTH).toString('hex');
  const coefficients = [diffuse(bytesToElement(recoveryKey))];
  for (let k = 1; k < threshold; k++) {
    const r = randomBytes(RECOVERY_KEY_LENGTH);
    coefficients.push(bytesToElement(r));
    r.fill(0);
  }
  const width = String(count).length;
  const lines: string[] = [];
  const shareDigests: string[] = [];
  for (let i = 1; i <= count; i++) {
    const y = elementToBytes(evaluate(coefficients, BigInt(i)));
    lines.push(`${vaultToken(id)}-${String(i).padStart(width, '0')}-${y.toString('hex')}`);
    shareDigests.push(digestOf(id, splitId, i, y));
  }
  coefficients.fill(0n);
  return { commitment: { version: 1, scheme: 'ssss-0.5', vaultId: id, splitId, threshold, count, shareDigests }, lines };
}

function digestOf(vaultId: string, splitId: string, index: number, y: Uint8Array): string {
  return shareDigest(DIGEST_DOMAIN, vaultIdBytes(vaultId), splitIdBytes(splitId), Uint8Array.of(index), y);
}

/** Reads one `[token-]index-hex` line as ssss-combine does, but strictly. */
function parseLine(line: string, what: string): SsssShare {
  if (typeof line !== 'string') throw validation(`${what} must be text.`);
  if (line.length > MAX_LINE) throw invalidCiphertext(`${what} is ${line.length} characters long; an ssss share line is about 110.`);
  const parts = line.trim().split('-');
  if (parts.length < 2 || parts.length > 3) {
    throw invalidCiphertext(`${what} is not an ssss share: expected "index-hex" or "token-index-hex".`);
  }
  const [token, index, hex] = parts.length === 3 ? parts : [undefined, ...parts];
  if (!/^[0-9]{1,4}$/.test(index!) || Number(index) === 0) {
    throw invalidCiphertext(`${what} has no share number before its hex digits (expected 1, 2, …).`);
  }
  if (!/^[0-9a-fA-F]+$/.test(hex!)) throw invalidCiphertext(`${what} has a character that is not a hex digit: it was mistyped.`);
  if (hex!.length !== HEX_DIGITS) {
    throw invalidCiphertext(`${what} has ${hex!.length} hex digits; a share of the ${RECOVERY_KEY_LENGTH}-byte recovery key has ${HEX_DIGITS}.`);
  }
  return { token, index: Number(index), y: BigInt(`0x${hex}`) };
}

/** The vault id a Strongroom token names, if the token is Strongroom's. */
function tokenVault(token: string | undefined): string | undefined {
  if (token === undefined || !token.startsWith(TOKEN_PREFIX)) return undefined;
  const h = token.slice(TOKEN_PREFIX.length).toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(h)) return undefined;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The Lagrange interpolation of g(x) = f(x) − x^M through the points, at `at`. */
function interpolate(points: SsssShare[], threshold: number, at: bigint): bigint {
  let acc = 0n;
  for (const [i, p] of points.entries()) {
    const xi = BigInt(p.index);
    let num = 1n;
    let den = 1n;
    for (const [j, q] of points.entries()) {
      if (i === j) continue;
      const xj = BigInt(q.index);
      num = fieldMul(num, at ^ xj);
      den = fieldMul(den, xi ^ xj);
    }
    const gi = p.y ^ fieldPow(xi, threshold);
    acc ^= fieldMul(gi, fieldMul(num, fieldInv(den)));
  }
  return acc;
}

function noDuplicates(shares: SsssShare[]): void {
  const seen = new Map<number, number>();
  shares.forEach((s, i) => {
    const first = seen.get(s.index);
    if (first !== undefined) {
      throw validation(`Share ${s.index} was given twice (the ${ordinal(first + 1)} and ${ordinal(i + 1)} given); each custodian's share counts once.`);
    }
    seen.set(s.index, i);
  });
}

function enough(shares: SsssShare[], threshold: number): void {
  if (shares.length >= threshold) return;
  const have = shares.length;
  const more = threshold - have;
  throw validation(`${have} of the ${threshold} shares needed ${have === 1 ? 'was' : 'were'} given; ${more} more ${more === 1 ? 'is' : 'are'} needed.`);
}

function secretFrom(points: SsssShare[], threshold: number): Buffer {
  return elementToBytes(undiffuse(interpolate(points.slice(0, threshold), threshold, 0n)));
}

/**
 * Recovers the recovery key from ssss-form shares of the vault's committed
 * split, checking each share against the commitment first.
 */
export function combineSsssShares(lines: string[], recorded: SplitCommitment): Buffer {
  const commitment = parseSplitCommitment(recorded);
  if (commitment.scheme !== 'ssss-0.5') throw validation(`This recovery split is in the ${commitment.scheme} form, not ssss.`);
  if (!Array.isArray(lines)) throw validation('The shares must be a list of lines.');
  if (lines.length > 4 * commitment.count) throw validation(`${lines.length} shares were given; this split has only ${commitment.count}.`);
  const shares = lines.map((line, i) => {
    const what = `The ${ordinal(i + 1)} share given`;
    const s = parseLine(line, what);
    const named = tokenVault(s.token);
    if (named !== undefined && named !== commitment.vaultId) {
      throw invalidCiphertext(`${what} is share ${s.index} for vault ${named}, not for this vault (${commitment.vaultId}).`);
    }
    if (s.index > commitment.count) {
      throw invalidCiphertext(`${what} is numbered ${s.index}, but this split has ${commitment.count} shares.`);
    }
    if (!digestMatches(commitment, s.index, digestOf(commitment.vaultId, commitment.splitId, s.index, elementToBytes(s.y)))) {
      throw invalidCiphertext(
        `${what} is not the share ${s.index} this vault handed out: a hex digit was mistyped (ssss shares carry no checksum), ` +
          'or it is from another split or vault.',
      );
    }
    return s;
  });
  noDuplicates(shares);
  enough(shares, commitment.threshold);
  return secretFrom(shares, commitment.threshold);
}

/**
 * Recovers a 32-byte secret from `ssss-split -x` shares made outside
 * Strongroom, with no commitment to check them against. With more than
 * `threshold` shares, the extra ones must lie on the same polynomial; a share
 * that does not is named. With exactly `threshold` shares nothing can be
 * checked here: a wrong share gives a wrong secret, as it does in ssss-combine.
 */
export function recoverSsssSecret(lines: string[], threshold: number): Buffer {
  if (!Array.isArray(lines)) throw validation('The shares must be a list of lines.');
  if (!Number.isSafeInteger(threshold) || threshold < 2 || threshold > 255) {
    throw validation(`The threshold must be an integer from 2 to 255, got ${String(threshold)}.`);
  }
  if (lines.length > 255) throw validation(`${lines.length} shares were given; at most 255 are read.`);
  const shares = lines.map((line, i) => parseLine(line, `The ${ordinal(i + 1)} share given`));
  noDuplicates(shares);
  enough(shares, threshold);
  const base = shares.slice(0, threshold);
  for (const [k, extra] of shares.slice(threshold).entries()) {
    const expected = interpolate(base, threshold, BigInt(extra.index)) ^ fieldPow(BigInt(extra.index), threshold);
    if (expected !== extra.y) {
      throw invalidCiphertext(
        `The ${ordinal(threshold + k + 1)} share given (share ${extra.index}) does not lie on the polynomial of the first ${threshold}: ` +
          `one of them is mistyped or from another split, or the threshold is not ${threshold}.`,
      );
    }
  }
  return secretFrom(shares, threshold);
}
