import { createHash, createPublicKey, createSecretKey, randomBytes, verify } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalJson, EMPTY_HEAD, extendChain, GENESIS_HASH, recordHash, recordHashOf } from '../../../main/core/audit/chain.js';
import {
  DIGEST_TYPE,
  digestBoundaries,
  digestBytes,
  digestHash,
  isAuditDigest,
  makeDigest,
  newAuditSigningKey,
  privateKeyFromPkcs8,
  samePublicKey,
  signDigest,
  verifyDigestSignature,
  publicKeyFromPem,
} from '../../../main/core/audit/digest.js';
import { createAuditKeyRecord, openAuditKeyRecord } from '../../../main/core/audit/signing-key.js';
import { KmsError } from '../../../main/core/errors.js';
import { ACCOUNT, memorySigner, OTHER_ACCOUNT, sampleEvent, T0 } from './support.js';

const canonicalize = canonicalizeModule as unknown as (v: unknown) => string;

describe('hash chain', () => {
  it('hashes SHA-256 over the RFC 8785 canonical JSON of {seq, prevHash, event}; the fast form agrees', () => {
    const events = [sampleEvent(1), sampleEvent(2, { error: true }), { ...sampleEvent(3), requestParameters: { 'ünï€ødé': '😀\u2028', n: 1e21, z: -0, a: [0.1, 1 / 3] } }];
    for (const [i, event] of events.entries()) {
      const r = { seq: i + 1, prevHash: i === 0 ? GENESIS_HASH : 'ab'.repeat(32), event };
      const want = createHash('sha256').update(canonicalize({ seq: r.seq, prevHash: r.prevHash, event })).digest('hex');
      expect(recordHash(r)).toBe(want);
      expect(recordHashOf(r.seq, r.prevHash, canonicalJson(event))).toBe(want);
    }
  });

  it('canonical JSON is RFC 8785 (keys sorted by UTF-16 code units, ES number form)', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 1e21, 0.000001], '\u20ac': 1, '\r': 2 })).toBe('{"\\r":2,"a":[true,null,1e+21,0.000001],"b":1,"€":1}');
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('links records: genesis is 64 zeros, each prevHash is the hash before it', () => {
    const chain = extendChain(EMPTY_HEAD, [sampleEvent(1), sampleEvent(2), sampleEvent(3)]);
    expect(chain.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(chain[0]!.prevHash).toBe('0'.repeat(64));
    expect(chain[1]!.prevHash).toBe(chain[0]!.hash);
    expect(chain[2]!.prevHash).toBe(chain[1]!.hash);
    for (const r of chain) expect(recordHash(r)).toBe(r.hash);
    const more = extendChain(chain[2]!, [sampleEvent(4)]);
    expect(more[0]).toMatchObject({ seq: 4, prevHash: chain[2]!.hash });
  });

  it('refuses malformed links', () => {
    expect(() => recordHashOf(0, GENESIS_HASH, '{}')).toThrow('expected seq to be a positive integer, got 0');
    expect(() => recordHashOf(1, 'XYZ', '{}')).toThrow('expected prevHash to be 64 lower-case hex digits');
  });
});

describe('digests', () => {
  it('signs the canonical JSON of the digest with Ed25519; anyone with the public key can check it', async () => {
    const signer = memorySigner();
    const d = makeDigest(ACCOUNT, undefined, 1000, 'cd'.repeat(32), T0);
    expect(d).toEqual({ type: DIGEST_TYPE, account: ACCOUNT, fromSeq: 1, toSeq: 1000, lastHash: 'cd'.repeat(32), previousDigestHash: GENESIS_HASH, digestTime: '2026-11-28T12:00:00.000Z' });
    const sd = await signDigest(signer, ACCOUNT, d);
    const pub = createPublicKey(await signer.publicKeyPem(ACCOUNT));
    expect(verify(null, digestBytes(d), pub, Buffer.from(sd.signature, 'base64'))).toBe(true);
    expect(verifyDigestSignature(pub, d, sd.signature)).toBe(true);
    expect(verifyDigestSignature(pub, { ...d, toSeq: 999 }, sd.signature)).toBe(false);
    expect(verifyDigestSignature(pub, d, 'not base64')).toBe(false);
    expect(verifyDigestSignature(pub, d, undefined)).toBe(false);
    // another tenant's key does not verify it
    expect(verifyDigestSignature(createPublicKey(await signer.publicKeyPem(OTHER_ACCOUNT)), d, sd.signature)).toBe(false);
  });

  it('chains digests: fromSeq follows the previous toSeq, previousDigestHash is its hash', () => {
    const a = makeDigest(ACCOUNT, undefined, 1000, 'cd'.repeat(32), T0);
    const b = makeDigest(ACCOUNT, a, 2000, 'ef'.repeat(32), T0);
    expect(b.fromSeq).toBe(1001);
    expect(b.previousDigestHash).toBe(digestHash(a));
    expect(digestHash(a)).toBe(createHash('sha256').update(canonicalize(a)).digest('hex'));
    expect(isAuditDigest(b)).toBe(true);
    expect(isAuditDigest({ ...b, lastHash: 'x' })).toBe(false);
    expect(() => makeDigest(ACCOUNT, a, 900, 'cd'.repeat(32), T0)).toThrow('expected toSeq >= 1001, got 900');
  });

  it('finds the boundaries a chain passes', () => {
    expect(digestBoundaries(0, 999, 1000)).toEqual([]);
    expect(digestBoundaries(0, 1000, 1000)).toEqual([1000]);
    expect(digestBoundaries(999, 3001, 1000)).toEqual([1000, 2000, 3000]);
    expect(digestBoundaries(1000, 1999, 1000)).toEqual([]);
    expect(digestBoundaries(5, 12, 3)).toEqual([6, 9, 12]);
  });

  it('makes Ed25519 key pairs', () => {
    const { privatePkcs8Der, publicSpkiPem } = newAuditSigningKey();
    const priv = privateKeyFromPkcs8(privatePkcs8Der);
    expect(priv.asymmetricKeyType).toBe('ed25519');
    expect(samePublicKey(createPublicKey(priv), publicSpkiPem)).toBe(true);
    expect(samePublicKey(publicSpkiPem, newAuditSigningKey().publicSpkiPem)).toBe(false);
    expect(() => publicKeyFromPem(createPublicKey(createSecretKey(randomBytes(32)) as any))).toThrow();
  });
});

describe('audit signing keys sealed under the tenant key', () => {
  it('seals the private key so that only the tenant key, for this account, opens it', () => {
    const tk = createSecretKey(randomBytes(32));
    const rec = createAuditKeyRecord(tk, ACCOUNT);
    const priv = openAuditKeyRecord(tk, rec);
    expect(samePublicKey(createPublicKey(priv), rec.publicKeyPem)).toBe(true);
    expect(rec.sealedPrivateKey.includes(priv.export({ type: 'pkcs8', format: 'der' }).subarray(16))).toBe(false);
    // moved to another tenant, or opened with another tenant key: refused
    expect(() => openAuditKeyRecord(tk, { ...rec, account: OTHER_ACCOUNT })).toThrow(KmsError);
    expect(() => openAuditKeyRecord(createSecretKey(randomBytes(32)), rec)).toThrow(/failed its integrity check/);
  });

  it('the signer creates a key pair on first use, reuses it, and derives the public key from the private key', async () => {
    const signer = memorySigner();
    const pem = await signer.publicKeyPem(ACCOUNT);
    expect(signer.records.size).toBe(1);
    expect(await signer.publicKeyPem(ACCOUNT)).toBe(pem);
    // a swapped public key in storage does not change what the signer vouches for
    signer.records.set(ACCOUNT, { ...signer.records.get(ACCOUNT)!, publicKeyPem: newAuditSigningKey().publicSpkiPem });
    signer.clear();
    expect(samePublicKey(await signer.publicKeyPem(ACCOUNT), pem)).toBe(true);
    const sig = await signer.sign(ACCOUNT, Buffer.from('hello'));
    expect(verify(null, Buffer.from('hello'), createPublicKey(pem), sig)).toBe(true);
    expect(await signer.publicKeyPem(OTHER_ACCOUNT)).not.toBe(pem);
  });
});
