// Wycheproof AES-GCM vectors (test/vectors/wycheproof/aes_gcm_test.json, see
// the README there for provenance) against the project's AES-256-GCM wrapper,
// main/core/crypto/aes-gcm.ts. Every group with a 256-bit key, 96-bit IV and
// 128-bit tag runs: valid cases encrypt to ct || tag and decrypt back;
// invalid ones fail to decrypt (decrypt returns undefined). The wrapper
// takes 96-bit nonces and 256-bit keys only, so the other groups check that
// it refuses them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, open } from '../../main/core/crypto/aes-gcm.js';

interface AeadTest {
  tcId: number;
  comment: string;
  flags: string[];
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
interface AeadGroup {
  type: string;
  keySize: number;
  ivSize: number;
  tagSize: number;
  tests: AeadTest[];
}
interface AeadFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: AeadGroup[];
}

const file = JSON.parse(readFileSync(new URL('./wycheproof/aes_gcm_test.json', import.meta.url), 'utf8')) as AeadFile;
const hex = (s: string) => Buffer.from(s, 'hex');
const ours = file.testGroups.filter((g) => g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128);
const ourCases = ours.flatMap((g) => g.tests);
const label = (tc: AeadTest) => `tcId ${tc.tcId} (${tc.result}; ${[tc.comment, ...tc.flags].filter(Boolean).join(', ')})`;

describe('Wycheproof aes_gcm_test.json', () => {
  it('is the AES-GCM file, complete', () => {
    expect(file.algorithm).toBe('AES-GCM');
    expect(file.testGroups.reduce((n, g) => n + g.tests.length, 0)).toBe(file.numberOfTests);
    // 66 cases at the commit in README.md; a changed file should be noticed
    expect(ourCases.length).toBe(66);
    expect(ourCases.some((tc) => tc.result === 'valid')).toBe(true);
    expect(ourCases.some((tc) => tc.result === 'invalid')).toBe(true);
  });

  it('every 256-bit key / 96-bit IV / 128-bit tag case gives the expected result', () => {
    let ran = 0;
    const failures: string[] = [];
    for (const tc of ourCases) {
      const key = hex(tc.key);
      const iv = hex(tc.iv);
      const aad = hex(tc.aad);
      const sealed = Buffer.concat([hex(tc.ct), hex(tc.tag)]);
      const opened = decrypt(key, iv, sealed, aad);
      if (tc.result === 'valid') {
        const out = encrypt(key, iv, hex(tc.msg), aad);
        if (!out.equals(sealed)) failures.push(`${label(tc)}: encrypt gave ${out.toString('hex')}`);
        if (!opened || !opened.equals(hex(tc.msg))) failures.push(`${label(tc)}: decrypt gave ${opened?.toString('hex')}`);
        // the stored-secret format nonce || ct || tag opens the same way
        const viaOpen = open(key, Buffer.concat([iv, sealed]), aad);
        if (!viaOpen || !viaOpen.equals(hex(tc.msg))) failures.push(`${label(tc)}: open gave ${viaOpen?.toString('hex')}`);
      } else if (tc.result === 'invalid') {
        if (opened !== undefined) failures.push(`${label(tc)}: decrypt accepted an invalid ciphertext, gave ${opened.toString('hex')}`);
        if (open(key, Buffer.concat([iv, sealed]), aad) !== undefined) failures.push(`${label(tc)}: open accepted an invalid ciphertext`);
      }
      ran++;
    }
    expect(failures).toEqual([]);
    expect(ran).toBeGreaterThan(0);
    expect(ran).toBe(ourCases.length);
  });

  it('a nonce of any length other than 96 bits is refused (encrypt throws, decrypt gives undefined)', () => {
    const others = file.testGroups.filter((g) => g.keySize === 256 && g.ivSize !== 96).flatMap((g) => g.tests);
    expect(others.length).toBeGreaterThan(0);
    for (const tc of others) {
      const sealed = Buffer.concat([hex(tc.ct), hex(tc.tag)]);
      expect(decrypt(hex(tc.key), hex(tc.iv), sealed, hex(tc.aad)), label(tc)).toBeUndefined();
      expect(() => encrypt(hex(tc.key), hex(tc.iv), hex(tc.msg), hex(tc.aad)), label(tc)).toThrow(RangeError);
    }
  });

  it('a 128- or 192-bit key is refused with a RangeError', () => {
    const others = file.testGroups.filter((g) => g.keySize !== 256 && g.ivSize === 96).flatMap((g) => g.tests);
    expect(others.length).toBeGreaterThan(0);
    for (const tc of others) {
      expect(() => decrypt(hex(tc.key), hex(tc.iv), Buffer.concat([hex(tc.ct), hex(tc.tag)]), hex(tc.aad)), label(tc)).toThrow(/expected AES key of length 32/);
      expect(() => encrypt(hex(tc.key), hex(tc.iv), hex(tc.msg), hex(tc.aad)), label(tc)).toThrow(/expected AES key of length 32/);
    }
  });
});
