// Wycheproof HMAC-SHA-224/256/384/512 vectors against main/core/crypto/hmac.ts
// (node:crypto), cross-checked against @noble/hashes; and ML-DSA-44/65
// verification vectors against main/core/kms/asymmetric/mldsa.ts, including its
// SubjectPublicKeyInfo parser.
import { describe, expect, it } from 'vitest';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { hmac, hmacVerify } from '../../main/core/crypto/hmac.js';
import { mlDsaVerify } from '../../main/core/kms/asymmetric/mldsa.js';
import type { MacAlgorithm } from '../../main/api/enums.js';
import { mlDsaPublicKey } from '../support/spki.js';
import { expected, hex, label, loadWycheproof } from './wycheproof.js';

describe('Wycheproof HMAC', () => {
  for (const [bits, noble] of [
    [224, sha224],
    [256, sha256],
    [384, sha384],
    [512, sha512],
  ] as const) {
    it(`hmac_sha${bits}_test.json`, () => {
      const name = `hmac_sha${bits}_test.json`;
      const alg = `HMAC_SHA_${bits}` as MacAlgorithm;
      const file = loadWycheproof(name);
      for (const g of file.testGroups) {
        const tagBytes = (g['tagSize'] as number) / 8;
        for (const tc of g.tests) {
          const key = hex(tc['key']);
          const msg = hex(tc['msg']);
          const tag = hex(tc['tag']);
          const full = hmac(alg, key, msg);
          expect(full.equals(Buffer.from(nobleHmac(noble, key, msg))), `${label(name, tc)}: node:crypto and @noble agree`).toBe(true);
          const matches = full.subarray(0, tagBytes).equals(tag);
          const want = expected(tc);
          if (want !== undefined) expect(matches, label(name, tc)).toBe(want);
          // VerifyMac compares whole MACs: a truncated tag never verifies
          expect(hmacVerify(alg, key, msg, tag), label(name, tc)).toBe(want === true && tagBytes === full.length);
        }
      }
    });
  }
});

describe('Wycheproof ML-DSA verify', () => {
  for (const [name, spec] of [
    ['mldsa_44_verify_test.json', 'ML_DSA_44'],
    ['mldsa_65_verify_test.json', 'ML_DSA_65'],
  ] as const) {
    it(name, () => {
      const file = loadWycheproof(name);
      let n = 0;
      for (const g of file.testGroups) {
        let pk: Uint8Array | undefined;
        try {
          pk = mlDsaPublicKey(spec, hex(g['publicKeyDer']));
          expect(Buffer.from(pk).equals(hex(g['publicKey']))).toBe(true);
        } catch {
          pk = undefined; // a malformed public key: every test of the group must be invalid
        }
        for (const tc of g.tests) {
          n++;
          const ctx = tc['ctx'] === undefined ? undefined : hex(tc['ctx']);
          const ok = pk !== undefined && (ctx === undefined || ctx.length <= 255) && mlDsaVerify(spec, pk, hex(tc['msg']), 'RAW', hex(tc['sig']), ctx);
          const want = expected(tc);
          if (want !== undefined) expect(ok, label(name, tc)).toBe(want);
        }
      }
      expect(n).toBe(file.numberOfTests);
    });
  }
});
