// Wycheproof Ed25519, X25519 and ECDH (P-256/384/521) vectors, and RFC
// 8032's Ed25519ph vector, against the project's wrappers
// (asymmetric/ed25519.ts, x25519.ts, and the ECDH of the key handles from
// asymmetric/index.ts), each cross-checked against @noble/curves where both
// implement the primitive.
import { createHash, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { Ed25519Key, ed25519Raw, ed25519Verify } from '../../main/core/kms/asymmetric/ed25519.js';
import { openPrivateKey, PeerKeyError } from '../../main/core/kms/asymmetric/index.js';
import { X25519Key, x25519PublicKey, x25519SpkiFromRaw } from '../../main/core/kms/asymmetric/x25519.js';
import { spkiPublicKey } from '../support/spki.js';
import { expected, hex, label, loadWycheproof } from './wycheproof.js';

describe('Wycheproof Ed25519 (ED25519_SHA_512)', () => {
  it('ed25519_test.json', async () => {
    const file = loadWycheproof('ed25519_test.json');
    for (const g of file.testGroups) {
      const pub = spkiPublicKey(hex(g['publicKeyDer']), 'ed25519');
      const raw = hex((g['publicKey'] as { pk: string }).pk);
      for (const tc of g.tests) {
        const ok = await ed25519Verify(pub, hex(tc['msg']), 'RAW', hex(tc['sig']));
        const want = expected(tc);
        if (want !== undefined) expect(ok, label('ed25519', tc)).toBe(want);
        let noble: boolean;
        try {
          noble = ed25519.verify(hex(tc['sig']), hex(tc['msg']), raw, { zip215: false });
        } catch {
          noble = false;
        }
        expect(noble, `${label('ed25519', tc)}: node:crypto and @noble agree`).toBe(ok);
      }
    }
  });
});

describe('RFC 8032 §7.3 Ed25519ph test vector (ED25519_PH_SHA_512 over a SHA-512 DIGEST)', () => {
  it('"abc": the wrapper signs the digest to the RFC signature and verifies it', async () => {
    const seed = hex('833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42');
    const key = new Ed25519Key(Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]));
    expect(ed25519Raw(key.publicKey).toString('hex')).toBe('ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf');
    const digest = createHash('sha512').update('abc').digest();
    const sig = await key.sign(digest, 'DIGEST');
    expect(sig.toString('hex')).toBe('98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406');
    expect(await ed25519Verify(key.publicKey, digest, 'DIGEST', sig)).toBe(true);
    expect(await ed25519Verify(key.publicKey, digest, 'RAW', sig)).toBe(false);
  });
});

describe('Wycheproof X25519', () => {
  it('x25519_test.json', () => {
    const file = loadWycheproof('x25519_test.json');
    const PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
    for (const g of file.testGroups) {
      for (const tc of g.tests) {
        const key = new X25519Key(Buffer.concat([PKCS8, hex(tc['private'])]));
        let ours: string | undefined;
        try {
          ours = key.derive(x25519PublicKey(x25519SpkiFromRaw(hex(tc['public'])))).toString('hex');
        } catch {
          ours = undefined;
        }
        const zero = (tc['shared'] as string) === '00'.repeat(32);
        if (tc.result === 'valid') expect(ours, label('x25519', tc)).toBe(tc['shared']);
        // an all-zero secret is refused (RFC 7748 §6.1); any other acceptable case must still compute correctly
        if (zero) expect(ours, label('x25519', tc)).toBeUndefined();
        else expect(ours, label('x25519', tc)).toBe(tc['shared']);
        if (!zero) expect(Buffer.from(x25519.getSharedSecret(hex(tc['private']), hex(tc['public']))).toString('hex')).toBe(ours);
      }
    }
  });
});

describe('Wycheproof ECDH (ASN.1 public keys)', () => {
  const NOBLE = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;
  for (const [name, curve, spec] of [
    ['ecdh_secp256r1_test.json', 'P-256', 'ECC_NIST_P256'],
    ['ecdh_secp384r1_test.json', 'P-384', 'ECC_NIST_P384'],
    ['ecdh_secp521r1_test.json', 'P-521', 'ECC_NIST_P521'],
  ] as const) {
    it(name, async () => {
      const file = loadWycheproof(name);
      const size = { 'P-256': 32, 'P-384': 48, 'P-521': 66 }[curve];
      for (const g of file.testGroups) {
        for (const tc of g.tests) {
          // the private scalar as a PKCS#8 key the vault would store
          let d = hex(tc['private']);
          while (d.length > size && d[0] === 0) d = d.subarray(1);
          d = Buffer.concat([Buffer.alloc(size - d.length), d]);
          const pubPoint = NOBLE[curve].getPublicKey(d, false);
          const jwk = { kty: 'EC', crv: curve, d: d.toString('base64url'), x: Buffer.from(pubPoint.subarray(1, 1 + size)).toString('base64url'), y: Buffer.from(pubPoint.subarray(1 + size)).toString('base64url') };
          const pkcs8 = createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'der' });
          const key = await openPrivateKey(spec, pkcs8);
          let ours: string | undefined;
          try {
            ours = key.derive(hex(tc['public'])).toString('hex');
          } catch (e) {
            expect(e, label(name, tc)).toBeInstanceOf(PeerKeyError);
            ours = undefined;
          }
          if (tc.result === 'valid') expect(ours, label(name, tc)).toBe(tc['shared']);
          if (tc.result === 'invalid') expect(ours === undefined || ours !== tc['shared'], label(name, tc)).toBe(true);
          if (tc.result === 'acceptable' && ours !== undefined) expect(ours, label(name, tc)).toBe(tc['shared']);
        }
      }
    });
  }
});
