// Wycheproof ECDSA vectors (DER signatures) against the project's wrappers:
// P-256/384/521 through main/core/kms/asymmetric/ec.ts on both paths (RAW:
// node:crypto; DIGEST: @noble/curves over the hash) — the node:crypto ↔
// noble cross-check — and secp256k1 through asymmetric/secp256k1.ts
// (@noble), cross-checked against node:crypto's OpenSSL, which has the curve.
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecdsaVerify, ecPublicKey, type NistCurve } from '../../main/core/kms/asymmetric/ec.js';
import { parseSecp256k1Spki, secp256k1Verify } from '../../main/core/kms/asymmetric/secp256k1.js';
import { expected, hex, label, loadWycheproof } from './wycheproof.js';

const FILES: [string, NistCurve | 'secp256k1', string][] = [
  ['ecdsa_secp256r1_sha256_test.json', 'P-256', 'sha256'],
  ['ecdsa_secp384r1_sha384_test.json', 'P-384', 'sha384'],
  ['ecdsa_secp521r1_sha512_test.json', 'P-521', 'sha512'],
  ['ecdsa_secp256k1_sha256_test.json', 'secp256k1', 'sha256'],
];

describe('Wycheproof ECDSA', () => {
  for (const [name, curve, sha] of FILES) {
    it(`${name} (${curve})`, async () => {
      const file = loadWycheproof(name);
      let n = 0;
      for (const g of file.testGroups) {
        const der = hex(g['publicKeyDer']);
        for (const tc of g.tests) {
          const want = expected(tc);
          const msg = hex(tc['msg']);
          const sig = hex(tc['sig']);
          const digest = createHash(sha).update(msg).digest();
          let a: boolean;
          let b: boolean;
          if (curve === 'secp256k1') {
            const point = parseSecp256k1Spki(der);
            a = secp256k1Verify(point, msg, 'RAW', sig);
            b = secp256k1Verify(point, digest, 'DIGEST', sig);
            // OpenSSL (node:crypto) as the reference implementation
            const openssl = nodeVerify(sha, msg, { key: createPublicKey({ key: der, format: 'der', type: 'spki' }), dsaEncoding: 'der' }, sig);
            if (want !== undefined) expect(openssl, `${label(name, tc)} openssl`).toBe(want);
          } else {
            const pub = ecPublicKey(der, curve);
            a = await ecdsaVerify(pub, curve, msg, 'RAW', sig);
            b = await ecdsaVerify(pub, curve, digest, 'DIGEST', sig);
          }
          if (want !== undefined) {
            expect(a, `${label(name, tc)} RAW`).toBe(want);
            expect(b, `${label(name, tc)} DIGEST`).toBe(want);
          }
          n++;
        }
      }
      expect(n).toBe(file.numberOfTests);
    });
  }
});
