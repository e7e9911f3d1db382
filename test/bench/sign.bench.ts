// Issue 4 metrics: Sign and Verify per second for each signing key spec
// through service.call (64 callers in flight, each making OPS_PER_CALLER
// calls one after another per timed round, as symmetric.bench.ts), against
// raw node:crypto / @noble on the same key — the key pair is made outside
// and imported (Origin EXTERNAL), so both sides hold the same material.
// 100-byte RAW messages; RSA uses RSASSA_PKCS1_V1_5_SHA_256.
//   sign.<KeySpec>, verify.<KeySpec>   the service's path (validation, key
//       lookup, authorization, the audit record built and redacted) with a
//       trail that records nothing, ratio = service / raw, as
//       symmetric.encrypt_decrypt measures it; the durable append is priced
//       by audited.encrypt_decrypt. Reported, not targets (issue 10).
// The service signs and verifies RAW messages with node:crypto's async
// one-shot API, on libuv's thread pool (so an RSA-4096 signature never
// stalls the desktop app's main process); the raw reference is the
// synchronous call. On this 2-core machine the pool and the event loop run
// side by side, which is why a slow primitive's ratio can pass 1: the
// ratio says what a caller gets from the service compared with calling the
// primitive itself on one thread.
import { createHash, generateKeyPairSync, randomBytes, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import type { KeySpec, SigningAlgorithm } from '../../main/api/enums.js';
import { MlDsaKey } from '../../main/core/kms/asymmetric/mldsa.js';
import { Secp256k1Key } from '../../main/core/kms/asymmetric/secp256k1.js';
import { initVault, openVault } from '../../main/vault/vault.js';
import { callAs } from '../support/call-as.js';
import { createImportedKey } from '../support/import.js';
import { UNRECORDED } from '../support/trails.js';
import { rate, report } from './harness.js';

const CONCURRENCY = 64;
const OPS_PER_CALLER = 8;
const MESSAGES = Array.from({ length: 256 }, () => randomBytes(100));

interface Raw {
  /** the PKCS#8 to import */
  pkcs8: Buffer;
  sign(m: Buffer): Uint8Array;
  verify(m: Buffer, sig: Uint8Array): boolean;
}

function nodeKey(priv: KeyObject, pub: KeyObject, hash: string | null, opts: object = {}): Raw {
  return {
    pkcs8: priv.export({ type: 'pkcs8', format: 'der' }),
    sign: (m) => nodeSign(hash, m, { key: priv, ...opts }),
    verify: (m, s) => nodeVerify(hash, m, { key: pub, ...opts }, s),
  };
}

const SPECS: [KeySpec, SigningAlgorithm, () => Raw][] = [
  ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', () => rsa(2048)],
  ['RSA_3072', 'RSASSA_PKCS1_V1_5_SHA_256', () => rsa(3072)],
  ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_256', () => rsa(4096)],
  ['ECC_NIST_P256', 'ECDSA_SHA_256', () => ec('P-256', 'sha256')],
  ['ECC_NIST_P384', 'ECDSA_SHA_384', () => ec('P-384', 'sha384')],
  ['ECC_NIST_P521', 'ECDSA_SHA_512', () => ec('P-521', 'sha512')],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256', k256],
  ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return nodeKey(privateKey, publicKey, null);
  }],
  ['ML_DSA_44', 'ML_DSA_SHAKE_256', () => mldsa('ML_DSA_44')],
  ['ML_DSA_65', 'ML_DSA_SHAKE_256', () => mldsa('ML_DSA_65')],
  ['ML_DSA_87', 'ML_DSA_SHAKE_256', () => mldsa('ML_DSA_87')],
];

function rsa(bits: number): Raw {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return nodeKey(privateKey, publicKey, 'sha256');
}
function ec(curve: string, hash: string): Raw {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return nodeKey(privateKey, publicKey, hash, { dsaEncoding: 'der' });
}
function k256(): Raw {
  const k = Secp256k1Key.generate();
  return {
    pkcs8: k.pkcs8,
    sign: (m) => secp256k1.sign(createHash('sha256').update(m).digest(), k.scalar, { prehash: false, format: 'der' }),
    verify: (m, s) => secp256k1.verify(s, createHash('sha256').update(m).digest(), k.point, { prehash: false, format: 'der', lowS: false }),
  };
}
function mldsa(spec: 'ML_DSA_44' | 'ML_DSA_65' | 'ML_DSA_87'): Raw {
  const impl = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 }[spec];
  const k = MlDsaKey.generate(spec);
  const { secretKey } = impl.keygen(k.seed);
  return { pkcs8: k.pkcs8, sign: (m) => impl.sign(m, secretKey), verify: (m, s) => impl.verify(s, m, k.publicKey) };
}

/** Sign or Verify calls per second through service.call, CONCURRENCY callers in flight. */
function serviceRate(ms: number, body: () => Promise<unknown>): Promise<number> {
  return rate(ms, async () => {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let k = 0; k < OPS_PER_CALLER; k++) await body();
      }),
    );
    return CONCURRENCY * OPS_PER_CALLER;
  });
}

/** Runs the Sign/Verify benchmarks; `only` limits them to some key specs. */
export async function benchSign(ms: number, only?: readonly string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-bench-sign-'));
  try {
    const passphrase = 'bench passphrase';
    await initVault(dir, { custody: { kind: 'passphrase', passphrase }, adminPassphrase: passphrase });
    const vault = await openVault(dir, { vaultPassphrase: async () => passphrase, service: { audit: () => UNRECORDED } });
    const caller = await vault.service.signIn({ userName: 'admin', passphrase, region: 'local-1', source: 'sdk' });
    const call = callAs(vault.service, caller);
    try {
      for (const [spec, SigningAlgorithm, make] of SPECS) {
        if (only && !only.includes(spec)) continue;
        const raw = make();
        const { KeyId } = await createImportedKey({ call }, spec, 'SIGN_VERIFY', raw.pkcs8);
        let i = 0;
        const next = () => MESSAGES[i++ & 255]!;
        // one signature per message, for the verify runs (made by the raw side, checked by both)
        const sigs = MESSAGES.map((m) => raw.sign(m));
        const reference = `raw ${rawName(spec)} ${SigningAlgorithm} on the same key`;

        const rawSign = await rate(ms, () => {
          for (let n = 0; n < CONCURRENCY; n++) raw.sign(next());
          return CONCURRENCY;
        });
        const signs = await serviceRate(ms, () => call('Sign', { KeyId, Message: next(), SigningAlgorithm }));
        report({ metric: `sign.${spec}`, value: signs, unit: 'ops/s', reference, ratio: signs / rawSign });

        const rawVerify = await rate(ms, () => {
          for (let n = 0; n < CONCURRENCY; n++) {
            const j = i++ & 255;
            if (!raw.verify(MESSAGES[j]!, sigs[j]!)) throw new Error(`${spec}: raw verification failed`);
          }
          return CONCURRENCY;
        });
        const verifies = await serviceRate(ms, () => {
          const j = i++ & 255;
          return call('Verify', { KeyId, Message: MESSAGES[j]!, Signature: sigs[j]!, SigningAlgorithm });
        });
        report({ metric: `verify.${spec}`, value: verifies, unit: 'ops/s', reference, ratio: verifies / rawVerify });
      }
    } finally {
      await vault.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const rawName = (spec: string) => (spec === 'ECC_SECG_P256K1' || spec.startsWith('ML_DSA') ? '@noble' : 'node:crypto');
