// The nonce pool hands out fresh bytes every time, across refills, and
// copies: a caller changing its nonce cannot change another's.
import { describe, expect, it } from 'vitest';
import { randomNonce } from '../../../main/core/crypto/nonce.js';

describe('randomNonce', () => {
  it('never repeats across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(randomNonce().toString('hex'));
    expect(seen.size).toBe(20_000);
  });

  it('gives the requested length, including lengths that straddle a refill', () => {
    for (let i = 0; i < 2_000; i++) {
      const n = 1 + (i % 64);
      expect(randomNonce(n)).toHaveLength(n);
    }
  });

  it('returns copies: changing one nonce changes no other, nor the next', () => {
    const a = randomNonce();
    const b = randomNonce();
    const before = Buffer.from(b);
    a.fill(0);
    expect(b.equals(before)).toBe(true);
    expect(randomNonce().equals(Buffer.alloc(12))).toBe(false);
  });

  it('looks uniformly random (each bit set about half the time)', () => {
    const counts = new Array<number>(96).fill(0);
    const N = 4_000;
    for (let i = 0; i < N; i++) {
      const n = randomNonce();
      for (let bit = 0; bit < 96; bit++) counts[bit]! += (n[bit >> 3]! >> (bit & 7)) & 1;
    }
    // 6 standard deviations of a binomial(N, 1/2): a healthy generator never fails this
    for (const c of counts) expect(Math.abs(c - N / 2)).toBeLessThan(6 * Math.sqrt(N / 4));
  });

  it('refuses lengths outside 1–64', () => {
    expect(() => randomNonce(0)).toThrow(RangeError);
    expect(() => randomNonce(65)).toThrow(RangeError);
    expect(() => randomNonce(1.5)).toThrow(RangeError);
  });
});
