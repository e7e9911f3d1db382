// The ssss form of the recovery key, against the real Debian binaries
// (`ssss` package, version 0.5): Strongroom's share lines → `ssss-combine -x`
// recovers the key; `ssss-split -x` shares → Strongroom recovers the key.
// ssss-split and ssss-combine are test dependencies: without them these fail.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineSsssShares, recoverSsssSecret, splitRecoveryKeySsss } from '../../../main/custody/recovery/ssss.js';
import { diffuse, fieldInv, fieldMul, undiffuse, xteaDecipher, xteaEncipher } from '../../../main/custody/recovery/ssss-field.js';
import { changeChar, failsWith, subsets } from './helpers.js';

const vaultId = randomUUID();
const key = randomBytes(32);
const { lines, commitment } = splitRecoveryKeySsss(vaultId, key, 3, 5);
const line = (i: number) => lines[i - 1]!;

/** What `ssss-combine -x -q -t M` prints for these share lines (the secret goes to stderr). */
function ssssCombine(threshold: number, shareLines: string[]): string {
  return execFileSync('sh', ['-c', `ssss-combine -x -q -t ${threshold} 2>&1 >/dev/null`], { input: `${shareLines.join('\n')}\n`, encoding: 'utf8' }).trim();
}

function ssssSplit(threshold: number, count: number, secretHex: string, token?: string): string[] {
  const args = ['-x', '-q', '-t', String(threshold), '-n', String(count), ...(token ? ['-w', token] : [])];
  return execFileSync('ssss-split', args, { input: `${secretHex}\n`, encoding: 'utf8' }).trim().split('\n');
}

describe('the field and the diffusion layer', () => {
  it('XTEA under the zero key matches the published vector (key 0, plaintext 0 → dee9d4d8 f7131ed9)', () => {
    expect(xteaEncipher(0, 0)).toEqual([0xdee9d4d8, 0xf7131ed9]);
    expect(xteaDecipher(0xdee9d4d8, 0xf7131ed9)).toEqual([0, 0]);
  });

  it('multiplication and inversion in GF(2^256) agree, and the diffusion inverts', () => {
    const element = fc.bigInt({ min: 1n, max: (1n << 256n) - 1n });
    fc.assert(
      fc.property(element, element, (a, b) => {
        expect(fieldMul(a, fieldInv(a))).toBe(1n);
        expect(fieldMul(a, b)).toBe(fieldMul(b, a));
        expect(fieldMul(fieldMul(a, b), fieldInv(b))).toBe(a);
        expect(undiffuse(diffuse(a))).toBe(a);
        expect(diffuse(a)).not.toBe(a);
      }),
      { numRuns: 50 },
    );
  });
});

describe("Strongroom's ssss-form shares", () => {
  it('are ssss-split -x lines: token-index-64 hex digits, the token naming the vault', () => {
    const token = `strongroom.${vaultId.replace(/-/g, '')}`;
    lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^${token}-${i + 1}-[0-9a-f]{64}$`)));
    expect(commitment).toMatchObject({ scheme: 'ssss-0.5', vaultId, threshold: 3, count: 5 });
  });

  it.each(subsets([1, 2, 3, 4, 5], 3))('shares %i, %i and %i: the real ssss-combine recovers the key', (...which) => {
    expect(ssssCombine(3, which.map(line))).toBe(key.toString('hex'));
  });

  it.each(subsets([1, 2, 3, 4, 5], 3))('shares %i, %i and %i: Strongroom recovers the key, checked against the commitment', (...which) => {
    expect(combineSsssShares(which.map(line), commitment).equals(key)).toBe(true);
  });

  it('ssss-combine with only 2 shares of a 3-of-5 split does not produce the key', () => {
    // ssss-combine cannot tell; it prints some other secret (here, told the threshold is 2)
    expect(ssssCombine(2, [line(1), line(2)])).not.toBe(key.toString('hex'));
  });

  it.each(subsets([1, 2, 3, 4, 5], 2))('shares %i and %i alone are refused: 2 of the 3 needed', async (a, b) => {
    const e = await failsWith(() => combineSsssShares([line(a), line(b)], commitment), 'ValidationException');
    expect(e.message).toBe('2 of the 3 shares needed were given; 1 more is needed.');
  });

  it('one changed hex digit, anywhere in a share, is named (no checksum: the commitment catches it)', async () => {
    const l = line(4);
    const start = l.lastIndexOf('-') + 1;
    for (let at = start; at < l.length; at++) {
      const bad = changeChar(l, at, '0123456789abcdef');
      const e = await failsWith(() => combineSsssShares([line(1), bad, line(2)], commitment), 'InvalidCiphertextException');
      expect(e.message).toBe(
        'The 2nd share given is not the share 4 this vault handed out: a hex digit was mistyped (ssss shares carry no checksum), or it is from another split or vault.',
      );
    }
  });

  it('a share that is not a share line is named', async () => {
    const cases: [string, RegExp][] = [
      ['', /not an ssss share/],
      ['just-some-text-here', /not an ssss share/],
      [line(2).replace(/-2-/, '-x-'), /no share number/],
      [line(2).slice(0, -1), /has 63 hex digits; a share of the 32-byte recovery key has 64/],
      [line(2).slice(0, -1) + 'g', /not a hex digit/],
    ];
    for (const [bad, message] of cases) {
      const e = await failsWith(() => combineSsssShares([line(1), line(3), bad], commitment), 'InvalidCiphertextException');
      expect(e.message).toMatch(message);
      expect(e.message).toMatch(/^The 3rd share given/);
    }
  });

  it("another vault's share is refused by its token, naming both vaults", async () => {
    const otherVault = randomUUID();
    const other = splitRecoveryKeySsss(otherVault, key, 3, 5);
    const e = await failsWith(() => combineSsssShares([line(1), line(2), other.lines[2]!], commitment), 'InvalidCiphertextException');
    expect(e.message).toBe(`The 3rd share given is share 3 for vault ${otherVault}, not for this vault (${vaultId}).`);
    // without its token it is still refused, by the commitment
    const untokened = other.lines[2]!.slice(other.lines[2]!.indexOf('-') + 1);
    await failsWith(() => combineSsssShares([line(1), line(2), untokened], commitment), 'InvalidCiphertextException');
  });

  it("a share of another split of this vault is refused; the lines without their token still work", async () => {
    const again = splitRecoveryKeySsss(vaultId, key, 3, 5);
    await failsWith(() => combineSsssShares([line(1), line(2), again.lines[2]!], commitment), 'InvalidCiphertextException');
    const bare = [1, 3, 5].map((i) => line(i).slice(line(i).indexOf('-') + 1));
    expect(combineSsssShares(bare, commitment).equals(key)).toBe(true);
  });

  it('a share given twice is named, and a share number past the split', async () => {
    expect((await failsWith(() => combineSsssShares([line(1), line(2), line(1)], commitment), 'ValidationException')).message).toBe(
      "Share 1 was given twice (the 1st and 3rd given); each custodian's share counts once.",
    );
    const six = line(5).replace(/-5-/, '-6-');
    expect((await failsWith(() => combineSsssShares([line(1), line(2), six], commitment), 'InvalidCiphertextException')).message).toBe(
      'The 3rd share given is numbered 6, but this split has 5 shares.',
    );
  });

  it('a commitment of the other scheme, or a malformed one, is refused', async () => {
    await failsWith(() => combineSsssShares(lines.slice(0, 3), { ...commitment, scheme: 'strongroom-shamir-v1' }), 'ValidationException');
    await failsWith(() => combineSsssShares(lines.slice(0, 3), { ...commitment, shareDigests: [] }), 'KMSInvalidStateException');
  });

  it('width-padded numbers, as ssss prints them for 10 or more shares, both ways', () => {
    const wide = splitRecoveryKeySsss(vaultId, key, 2, 12);
    expect(wide.lines[0]).toMatch(/-01-[0-9a-f]{64}$/);
    expect(wide.lines[11]).toMatch(/-12-[0-9a-f]{64}$/);
    expect(ssssCombine(2, [wide.lines[0]!, wide.lines[11]!])).toBe(key.toString('hex'));
    expect(combineSsssShares([wide.lines[11]!, wide.lines[0]!], wide.commitment).equals(key)).toBe(true);
  });
});

describe('shares made by the real ssss-split', () => {
  const secret = randomBytes(32);
  const made = ssssSplit(3, 5, secret.toString('hex'));

  it.each(subsets([0, 1, 2, 3, 4], 3))('shares %i, %i and %i: Strongroom recovers the secret', (...which) => {
    expect(recoverSsssSecret(which.map((i) => made[i]!), 3).equals(secret)).toBe(true);
  });

  it('with a token, with leading zero bytes, and with a 16-of-16 split', () => {
    const zeros = Buffer.concat([Buffer.alloc(3), randomBytes(29)]);
    const tokened = ssssSplit(2, 4, zeros.toString('hex'), 'custodians');
    expect(tokened[0]).toMatch(/^custodians-1-/);
    expect(recoverSsssSecret([tokened[3]!, tokened[1]!], 2).equals(zeros)).toBe(true);
    const big = ssssSplit(16, 16, secret.toString('hex'));
    expect(recoverSsssSecret(big, 16).equals(secret)).toBe(true);
  });

  it('an extra share that does not lie on the polynomial is named; with exactly M nothing can be checked', async () => {
    const bad = changeChar(made[3]!, made[3]!.length - 5, '0123456789abcdef');
    const e = await failsWith(() => recoverSsssSecret([made[0]!, made[1]!, made[2]!, bad], 3), 'InvalidCiphertextException');
    expect(e.message).toBe(
      'The 4th share given (share 4) does not lie on the polynomial of the first 3: one of them is mistyped or from another split, or the threshold is not 3.',
    );
    expect(recoverSsssSecret([made[0]!, made[1]!, made[2]!, made[3]!], 3).equals(secret)).toBe(true);
    // the same secret from ssss-combine and from Strongroom, even for a wrong share (neither can tell)
    const wrong = recoverSsssSecret([made[0]!, made[1]!, bad], 3);
    expect(wrong.equals(secret)).toBe(false);
    expect(ssssCombine(3, [made[0]!, made[1]!, bad])).toBe(wrong.toString('hex'));
  });

  it('too few shares and a bad threshold are refused', async () => {
    expect((await failsWith(() => recoverSsssSecret(made.slice(0, 2), 3), 'ValidationException')).message).toBe(
      '2 of the 3 shares needed were given; 1 more is needed.',
    );
    await failsWith(() => recoverSsssSecret(made, 1), 'ValidationException');
  });
});

describe('properties over M, N in range', () => {
  it('any M shares of a Strongroom ssss split give the key, in Strongroom', () => {
    const arb = fc.integer({ min: 2, max: 16 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        m: fc.integer({ min: 2, max: n }),
        key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
        order: fc.shuffledSubarray(
          Array.from({ length: n }, (_, i) => i),
          { minLength: n, maxLength: n },
        ),
      }),
    );
    fc.assert(
      fc.property(arb, ({ n, m, key: k, order }) => {
        const s = splitRecoveryKeySsss(vaultId, k, m, n);
        const given = order.slice(0, m).map((i) => s.lines[i]!);
        expect(combineSsssShares(given, s.commitment).equals(Buffer.from(k))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('ssss-combine recovers random M-of-N Strongroom splits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 16 }), fc.integer({ min: 0, max: 14 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (n, extra, k) => {
        const m = 2 + (extra % (n - 1));
        const s = splitRecoveryKeySsss(vaultId, k, m, n);
        expect(ssssCombine(m, s.lines.slice(n - m))).toBe(Buffer.from(k).toString('hex'));
      }),
      { numRuns: 15 },
    );
  });
});
