// AES-GCM nonces are 12 fresh random bytes each time.
import { describe, expect, it } from 'vitest';
import { randomNonce } from '../../../main/core/crypto/nonce.js';

describe('randomNonce', () => {
  it('gives 12 bytes, never the same twice', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const n = randomNonce();
      expect(n).toHaveLength(12);
      seen.add(n.toString('hex'));
    }
    expect(seen.size).toBe(10_000);
  });
});
