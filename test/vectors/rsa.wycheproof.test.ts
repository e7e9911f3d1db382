// Wycheproof RSA vectors against main/core/kms/asymmetric/rsa.ts: RSASSA-PSS and
// RSASSA-PKCS1-v1_5 verification through both of the wrapper's paths (RAW:
// node:crypto over the message; DIGEST: the wrapper's own EMSA-PSS /
// EMSA-PKCS1-v1_5 code over the hash, with the raw RSA primitive), and
// RSAES-OAEP decryption (with labels, which age's ssh-rsa stanzas use).
import { createHash, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rsaDecrypt, rsaVerify, type RsaSigningAlgorithm } from '../../main/core/kms/asymmetric/rsa.js';
import { spkiPublicKey } from '../support/spki.js';
import { expected, hex, label, loadWycheproof } from './wycheproof.js';

const SHA: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const PSS = ['rsa_pss_2048_sha256_mgf1_32', 'rsa_pss_2048_sha384_mgf1_48', 'rsa_pss_3072_sha256_mgf1_32', 'rsa_pss_4096_sha256_mgf1_32', 'rsa_pss_4096_sha384_mgf1_48', 'rsa_pss_4096_sha512_mgf1_64'];
const PKCS1 = ['rsa_signature_2048_sha256', 'rsa_signature_2048_sha384', 'rsa_signature_2048_sha512', 'rsa_signature_3072_sha256', 'rsa_signature_4096_sha256', 'rsa_signature_4096_sha512'];
const OAEP = ['rsa_oaep_2048_sha1_mgf1sha1', 'rsa_oaep_2048_sha256_mgf1sha256', 'rsa_oaep_3072_sha256_mgf1sha256', 'rsa_oaep_4096_sha256_mgf1sha256'];

async function runSignatureFile(name: string, pss: boolean) {
  const file = loadWycheproof(`${name}_test.json`);
  let checked = 0;
  for (const g of file.testGroups) {
    const sha = SHA[g['sha'] as string]!;
    if (pss) {
      // AWS's PSS: MGF1 with the message hash, salt as long as the digest
      expect(g['mgfSha']).toBe(g['sha']);
      expect(g['sLen']).toBe(createHash(sha).digest().length);
    }
    const alg = `RSASSA_${pss ? 'PSS' : 'PKCS1_V1_5'}_SHA_${sha.slice(3)}` as RsaSigningAlgorithm;
    const pub = spkiPublicKey(hex(g['publicKeyDer']), 'rsa');
    for (const tc of g.tests) {
      const want = expected(tc);
      const msg = hex(tc['msg']);
      const sig = hex(tc['sig']);
      const raw = await rsaVerify(pub, alg, msg, 'RAW', sig);
      const digest = await rsaVerify(pub, alg, createHash(sha).update(msg).digest(), 'DIGEST', sig);
      if (want !== undefined) {
        expect(raw, `${label(name, tc)} RAW`).toBe(want);
        expect(digest, `${label(name, tc)} DIGEST`).toBe(want);
      }
      expect(digest, `${label(name, tc)}: the DIGEST path agrees with node:crypto`).toBe(raw);
      checked++;
    }
  }
  expect(checked).toBe(file.numberOfTests);
}

describe('Wycheproof RSASSA-PSS', () => {
  for (const name of PSS) it(name, () => runSignatureFile(name, true));
});

describe('Wycheproof RSASSA-PKCS1-v1_5', () => {
  for (const name of PKCS1) it(name, () => runSignatureFile(name, false));
});

describe('Wycheproof RSAES-OAEP', () => {
  for (const name of OAEP) {
    it(name, () => {
      const file = loadWycheproof(`${name}_test.json`);
      for (const g of file.testGroups) {
        expect(g['mgfSha']).toBe(g['sha']);
        const alg = g['sha'] === 'SHA-1' ? 'RSAES_OAEP_SHA_1' : 'RSAES_OAEP_SHA_256';
        const priv = createPrivateKey({ key: hex(g['privateKeyPkcs8']), format: 'der', type: 'pkcs8' });
        for (const tc of g.tests) {
          const labelBytes = hex(tc['label']);
          const pt = rsaDecrypt(priv, alg, hex(tc['ct']), labelBytes.length ? labelBytes : undefined);
          if (tc.result === 'valid') expect(pt?.toString('hex'), label(name, tc)).toBe(tc['msg']);
          if (tc.result === 'invalid') expect(pt, label(name, tc)).toBeUndefined();
        }
      }
    });
  }
});
