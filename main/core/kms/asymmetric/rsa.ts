// RSA through node:crypto: key generation, RSASSA-PSS and RSASSA-PKCS1-v1_5
// signatures (RFC 8017 §8), RSAES-OAEP (RFC 8017 §7.1).
//
// AWS's algorithms fix every parameter: PSS uses the same hash for the
// message and MGF1 and a salt as long as the digest; OAEP uses the same hash
// for the label and MGF1 (RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256).
//
// RAW messages go through crypto.sign/verify on libuv's thread pool, so a
// 4096-bit signature does not block the event loop. node:crypto cannot sign
// a digest it did not compute, so DIGEST messages are encoded here (EMSA-PSS
// §9.1, EMSA-PKCS1-v1_5 §9.2) and go through the raw RSA primitive
// (RSASP1/RSAVP1 = privateDecrypt/publicEncrypt without padding; OpenSSL
// blinds the private operation).
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign as nodeSign,
  timingSafeEqual,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { type RsaEncryptionAlgorithm, type SigningAlgorithm } from '../../../api/enums.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export type RsaSigningAlgorithm = Extract<SigningAlgorithm, `RSASSA_${string}`>;
type Hash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const HASH_LEN: Record<Hash, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1). */
const DIGEST_INFO: Record<Exclude<Hash, 'sha1'>, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

function signingParams(alg: RsaSigningAlgorithm): { hash: Exclude<Hash, 'sha1'>; pss: boolean } {
  const pss = alg.startsWith('RSASSA_PSS_');
  const bits = alg.slice(-3);
  return { hash: `sha${bits}` as Exclude<Hash, 'sha1'>, pss };
}

export const oaepHash = (alg: RsaEncryptionAlgorithm): Hash => (alg === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256');

interface RsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** modulus size in bits */
  bits: number;
}

/** A fresh key pair as PKCS#8 DER (private) and SubjectPublicKeyInfo DER (public); e = 65537. */
export async function generateRsa(bits: number): Promise<{ pkcs8: Buffer; spki: Buffer }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return { pkcs8: privateKey, spki: publicKey };
}

/** Parses a PKCS#8 RSA private key (rsaEncryption, not RSASSA-PSS-restricted). Throws on anything else. */
export function openRsa(pkcs8: Uint8Array): RsaKeyPair {
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`expected an RSA private key, got ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, bits: privateKey.asymmetricKeyDetails!.modulusLength! };
}

const modulusBytes = (k: KeyObject) => Math.ceil(k.asymmetricKeyDetails!.modulusLength! / 8);
const modulusBits = (k: KeyObject) => k.asymmetricKeyDetails!.modulusLength!;

function mgf1(hash: Hash, seed: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  const hLen = HASH_LEN[hash];
  const counter = Buffer.alloc(4);
  for (let i = 0, off = 0; off < length; i++, off += hLen) {
    counter.writeUInt32BE(i);
    createHash(hash).update(seed).update(counter).digest().copy(out, off);
  }
  return out;
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of a message hash, salt length = hash length. */
function emsaPssEncode(hash: Hash, mHash: Uint8Array, emBits: number): Buffer {
  const hLen = HASH_LEN[hash];
  const emLen = Math.ceil(emBits / 8);
  const sLen = hLen;
  if (emLen < hLen + sLen + 2) throw new Error('RSA key too small for PSS with this hash');
  const salt = randomBytes(sLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - sLen - hLen - 2] = 0x01;
  salt.copy(db, emLen - sLen - hLen - 1);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2), salt length = hash length. */
function emsaPssVerify(hash: Hash, mHash: Uint8Array, em: Buffer, emBits: number): boolean {
  const hLen = HASH_LEN[hash];
  const emLen = Math.ceil(emBits / 8);
  const sLen = hLen;
  if (em.length !== emLen || emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 8 * emLen - emBits;
  if (maskedDb[0]! & ~(0xff >> topBits) & 0xff) return false;
  const mask = mgf1(hash, h, maskedDb.length);
  const db = Buffer.alloc(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = maskedDb[i]! ^ mask[i]!;
  db[0]! &= 0xff >> topBits;
  const psLen = emLen - hLen - sLen - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const h2 = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return timingSafeEqual(h, h2);
}

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of a message hash, k bytes long. */
function emsaPkcs1(hash: Exclude<Hash, 'sha1'>, mHash: Uint8Array, k: number): Buffer {
  const t = Buffer.concat([DIGEST_INFO[hash], mHash]);
  if (k < t.length + 11) throw new Error('RSA key too small for this digest');
  const em = Buffer.alloc(k, 0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[k - t.length - 1] = 0x00;
  t.copy(em, k - t.length);
  return em;
}

const leftPad = (b: Buffer, k: number) => (b.length === k ? b : Buffer.concat([Buffer.alloc(k - b.length), b]));

/** RSASP1: m^d mod n, k bytes. */
const rsasp1 = (priv: KeyObject, em: Buffer) => privateDecrypt({ key: priv, padding: constants.RSA_NO_PADDING }, leftPad(em, modulusBytes(priv)));
/** RSAVP1: s^e mod n, k bytes; undefined if s is not a k-byte integer below n. */
function rsavp1(pub: KeyObject, sig: Uint8Array): Buffer | undefined {
  if (sig.length !== modulusBytes(pub)) return undefined;
  try {
    return publicEncrypt({ key: pub, padding: constants.RSA_NO_PADDING }, sig);
  } catch {
    return undefined;
  }
}

function signAsync(hash: string, data: Uint8Array, key: object): Promise<Buffer> {
  return new Promise((resolve, reject) => nodeSign(hash, data, key as KeyObject, (err, sig) => (err ? reject(err) : resolve(sig))));
}
function verifyAsync(hash: string, data: Uint8Array, key: object, sig: Uint8Array): Promise<boolean> {
  return new Promise((resolve) => nodeVerify(hash, data, key as KeyObject, sig, (err, ok) => resolve(!err && ok)));
}

/**
 * Signs `message` (RAW: the message itself; DIGEST: its hash under the
 * algorithm's hash function, already checked for length by the caller).
 */
export async function rsaSign(priv: KeyObject, alg: RsaSigningAlgorithm, message: Uint8Array, type: 'RAW' | 'DIGEST'): Promise<Buffer> {
  const { hash, pss } = signingParams(alg);
  if (type === 'RAW') {
    return signAsync(hash, message, pss ? { key: priv, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LEN[hash] } : { key: priv, padding: constants.RSA_PKCS1_PADDING });
  }
  const em = pss ? emsaPssEncode(hash, message, modulusBits(priv) - 1) : emsaPkcs1(hash, message, modulusBytes(priv));
  return rsasp1(priv, em);
}

/** True when `signature` is valid; false for any malformed or wrong signature. */
export async function rsaVerify(pub: KeyObject, alg: RsaSigningAlgorithm, message: Uint8Array, type: 'RAW' | 'DIGEST', signature: Uint8Array): Promise<boolean> {
  const { hash, pss } = signingParams(alg);
  if (signature.length !== modulusBytes(pub)) return false;
  if (type === 'RAW') {
    return verifyAsync(hash, message, pss ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LEN[hash] } : { key: pub, padding: constants.RSA_PKCS1_PADDING }, signature);
  }
  const m = rsavp1(pub, signature);
  if (!m) return false;
  if (pss) {
    const emBits = modulusBits(pub) - 1;
    const emLen = Math.ceil(emBits / 8);
    for (let i = 0; i < m.length - emLen; i++) if (m[i] !== 0) return false;
    return emsaPssVerify(hash, message, m.subarray(m.length - emLen), emBits);
  }
  const expected = emsaPkcs1(hash, message, m.length);
  return timingSafeEqual(m, expected);
}

/** RSAES-OAEP encryption; the caller has checked the plaintext length against oaepMaxPlaintext. */
export function rsaEncrypt(pub: KeyObject, alg: RsaEncryptionAlgorithm, plaintext: Uint8Array, label?: Uint8Array): Buffer {
  return publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(alg), ...(label ? { oaepLabel: label } : {}) }, plaintext);
}

/** RSAES-OAEP decryption; undefined when the ciphertext does not decrypt (wrong key, label, algorithm or a corrupted ciphertext). */
export function rsaDecrypt(priv: KeyObject, alg: RsaEncryptionAlgorithm, ciphertext: Uint8Array, label?: Uint8Array): Buffer | undefined {
  if (ciphertext.length !== modulusBytes(priv)) return undefined;
  try {
    return privateDecrypt({ key: priv, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(alg), ...(label ? { oaepLabel: label } : {}) }, ciphertext);
  } catch {
    return undefined;
  }
}
