// Signed digests over the chain, after CloudTrail's log file integrity
// validation (CloudTrail User Guide, "Validating CloudTrail log file
// integrity"): every N records, and when the trail is closed, a digest
// {account, fromSeq, toSeq, lastHash, previousDigestHash, digestTime} is
// signed with the tenant's audit signing key (Ed25519, RFC 8032, through
// node:crypto). lastHash commits to every record up to toSeq through the
// chain; previousDigestHash (SHA-256 of the previous digest's canonical
// JSON, 64 zeros for the first) chains the digests, so a deleted digest is
// noticed. The signed bytes are the UTF-8 canonical JSON (RFC 8785) of the
// digest, whose `type` field separates it from anything else the key signs.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, GENESIS_HASH, isHash } from './chain.js';
import { sha256Hex } from './event.js';

export const DIGEST_TYPE = 'strongroom-audit-digest/1';
export const DEFAULT_DIGEST_EVERY = 1000;

export interface AuditDigest {
  type: typeof DIGEST_TYPE;
  account: string;
  /** first record covered (previous digest's toSeq + 1) */
  fromSeq: number;
  /** last record covered */
  toSeq: number;
  /** hash of record toSeq */
  lastHash: string;
  /** SHA-256 of the previous digest's canonical JSON; 64 zeros for an account's first digest */
  previousDigestHash: string;
  digestTime: string;
}

export interface SignedDigest {
  digest: AuditDigest;
  /** Ed25519 signature over digestBytes(digest), base64 */
  signature: string;
}

/**
 * Signs with a tenant's audit signing key. The vault implements it with
 * the key pair kept in audit_keys, its private half sealed under the
 * tenant key (signing-key.ts: TenantAuditSigner). The audit log calls it
 * outside its own transactions, so an implementation may read the vault.
 */
export interface AuditSigner {
  publicKeyPem(account: string): Promise<string>;
  sign(account: string, bytes: Uint8Array): Promise<Buffer>;
}

/** A fresh Ed25519 key pair for a tenant's audit trail. */
export function newAuditSigningKey(): { privatePkcs8Der: Buffer; publicSpkiPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePkcs8Der: privateKey.export({ type: 'pkcs8', format: 'der' }),
    publicSpkiPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** Ed25519 signing with a private key held in memory (tests, benchmarks, and the sealed signer's core). */
export function ed25519Sign(privateKey: KeyObject, bytes: Uint8Array): Buffer {
  return sign(null, bytes, privateKey);
}

export function privateKeyFromPkcs8(der: Uint8Array): KeyObject {
  const k = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  if (k.asymmetricKeyType !== 'ed25519') throw new TypeError(`expected an Ed25519 private key, got ${k.asymmetricKeyType}`);
  return k;
}

/** Parses a PEM (SPKI) Ed25519 public key; throws a TypeError for anything else. */
export function publicKeyFromPem(pem: string | KeyObject): KeyObject {
  const k = typeof pem === 'string' ? createPublicKey(pem) : pem.type === 'private' ? createPublicKey(pem) : pem;
  if (k.asymmetricKeyType !== 'ed25519') throw new TypeError(`expected an Ed25519 public key, got ${k.asymmetricKeyType}`);
  return k;
}

/** True when two public keys (PEM or KeyObject) are the same key. */
export function samePublicKey(a: string | KeyObject, b: string | KeyObject): boolean {
  const der = (k: string | KeyObject) => publicKeyFromPem(k).export({ type: 'spki', format: 'der' });
  return der(a).equals(der(b));
}

export const digestBytes = (d: object): Buffer => Buffer.from(canonicalJson(d), 'utf8');
export const digestHash = (d: object): string => sha256Hex(canonicalJson(d));

export function makeDigest(account: string, previous: AuditDigest | undefined, toSeq: number, lastHash: string, time: number | Date): AuditDigest {
  const fromSeq = previous ? previous.toSeq + 1 : 1;
  if (!Number.isSafeInteger(toSeq) || toSeq < fromSeq) throw new RangeError(`expected toSeq >= ${fromSeq}, got ${toSeq}`);
  if (!isHash(lastHash)) throw new RangeError('expected lastHash to be 64 lower-case hex digits');
  return {
    type: DIGEST_TYPE,
    account,
    fromSeq,
    toSeq,
    lastHash,
    previousDigestHash: previous ? digestHash(previous) : GENESIS_HASH,
    digestTime: new Date(time).toISOString(),
  };
}

export async function signDigest<D extends object>(signer: AuditSigner, account: string, digest: D): Promise<{ digest: D; signature: string }> {
  const signature = await signer.sign(account, digestBytes(digest));
  return { digest, signature: Buffer.from(signature).toString('base64') };
}

/** Checks a signature over a digest; false (never throws) for a malformed signature. */
export function verifyDigestSignature(publicKey: KeyObject, digest: object, signatureB64: unknown): boolean {
  if (typeof signatureB64 !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(signatureB64)) return false;
  try {
    return verify(null, digestBytes(digest), publicKey, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

/** Shape check of a parsed digest (from the database or an export). */
export function isAuditDigest(d: unknown): d is AuditDigest {
  if (typeof d !== 'object' || d === null) return false;
  const x = d as Record<string, unknown>;
  return (
    x.type === DIGEST_TYPE &&
    typeof x.account === 'string' &&
    Number.isSafeInteger(x.fromSeq) &&
    Number.isSafeInteger(x.toSeq) &&
    (x.fromSeq as number) >= 1 &&
    (x.toSeq as number) >= (x.fromSeq as number) &&
    isHash(x.lastHash) &&
    isHash(x.previousDigestHash) &&
    typeof x.digestTime === 'string'
  );
}

/** Digest boundaries (multiples of `every`) a chain passes going from seq `from` (exclusive) to `to` (inclusive). */
export function digestBoundaries(from: number, to: number, every: number): number[] {
  const out: number[] = [];
  for (let b = (Math.floor(from / every) + 1) * every; b <= to; b += every) out.push(b);
  return out;
}
