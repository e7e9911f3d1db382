// One door to the asymmetric families: generate a key pair for a key spec,
// open stored PKCS#8 material into an AsymmetricKey (parsed once, cached by
// KeyMaterials), and check imported material against its key spec. Each
// family module does its own primitive work (rsa, ec, secp256k1, ed25519,
// x25519, mldsa); operations check key usage, algorithm and message rules
// (key-specs.ts) before they call in here.
import { createHash, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { familyOf, rsaBits } from '../key-specs.js';
import { type MessageType, type RsaEncryptionAlgorithm, type SigningAlgorithm } from '../../../api/enums.js';
import { type KeySpec } from '../../../api/enums.js';
import type * as EcFamily from './ec.js';
import type { EcKey, NistCurve } from './ec.js';
import type * as Ed25519Family from './ed25519.js';
import type { Ed25519Key } from './ed25519.js';
import type * as MlDsaFamily from './mldsa.js';
import type { MlDsaKey, MlDsaSpec } from './mldsa.js';
import { generateRsa, openRsa, rsaDecrypt, rsaEncrypt, rsaSign, rsaVerify, type RsaSigningAlgorithm } from './rsa.js';
import type * as Secp256k1Family from './secp256k1.js';
import type { Secp256k1Key } from './secp256k1.js';
import { generateX25519, X25519Key, x25519PublicKey } from './x25519.js';

interface NobleFamilies {
  ec: typeof EcFamily;
  ed25519: typeof Ed25519Family;
  mldsa: typeof MlDsaFamily;
  secp256k1: typeof Secp256k1Family;
}
let nobleFamilies: Promise<NobleFamilies> | undefined;
/**
 * The families built on @noble (NIST-curve digests, secp256k1, Ed25519,
 * ML-DSA), imported on first use: a process that only encrypts (a CLI call)
 * never loads them, ~10 MiB and ~0.1 s of its start (issue 14).
 */
const noble = (): Promise<NobleFamilies> =>
  (nobleFamilies ??= Promise.all([import('./ec.js'), import('./ed25519.js'), import('./mldsa.js'), import('./secp256k1.js')]).then(([ec, ed25519, mldsa, secp256k1]) => ({
    ec,
    ed25519,
    mldsa,
    secp256k1,
  })));

/** The peer public key given to DeriveSharedSecret is not a valid key for this key's curve. */
export class PeerKeyError extends Error {
  override readonly name = 'PeerKeyError';
}

/** An opened private key: the primitive operations its spec allows. */
export interface AsymmetricKey {
  readonly spec: KeySpec;
  /** DER SubjectPublicKeyInfo of the public half */
  readonly spki: Buffer;
  sign(alg: SigningAlgorithm, message: Uint8Array, type: MessageType): Promise<Buffer>;
  verify(alg: SigningAlgorithm, message: Uint8Array, type: MessageType, signature: Uint8Array): Promise<boolean>;
  encrypt(alg: RsaEncryptionAlgorithm, plaintext: Uint8Array, label?: Uint8Array): Buffer;
  /** undefined when the ciphertext does not decrypt */
  decrypt(alg: RsaEncryptionAlgorithm, ciphertext: Uint8Array, label?: Uint8Array): Buffer | undefined;
  /** raw ECDH shared secret; PeerKeyError for a peer key that is not on this key's curve */
  derive(peerSpki: Uint8Array): Buffer;
}

const unsupported = (spec: KeySpec, what: string) => new Error(`${spec} keys do not ${what}`);
const spkiOf = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });

abstract class Base implements AsymmetricKey {
  abstract readonly spec: KeySpec;
  abstract readonly spki: Buffer;
  sign(_alg: SigningAlgorithm, _m: Uint8Array, _t: MessageType): Promise<Buffer> {
    throw unsupported(this.spec, 'sign');
  }
  verify(_alg: SigningAlgorithm, _m: Uint8Array, _t: MessageType, _s: Uint8Array): Promise<boolean> {
    throw unsupported(this.spec, 'verify');
  }
  encrypt(_alg: RsaEncryptionAlgorithm, _p: Uint8Array): Buffer {
    throw unsupported(this.spec, 'encrypt');
  }
  decrypt(_alg: RsaEncryptionAlgorithm, _c: Uint8Array): Buffer | undefined {
    throw unsupported(this.spec, 'decrypt');
  }
  derive(_peer: Uint8Array): Buffer {
    throw unsupported(this.spec, 'agree keys');
  }
}

const rawOrDigest = (t: MessageType) => {
  if (t === 'EXTERNAL_MU') throw new Error('EXTERNAL_MU is for ML-DSA only');
  return t;
};

class Rsa extends Base {
  readonly spki: Buffer;
  readonly #priv: KeyObject;
  readonly #pub: KeyObject;
  constructor(
    readonly spec: KeySpec,
    pkcs8: Uint8Array,
  ) {
    super();
    const k = openRsa(pkcs8);
    if (k.bits !== rsaBits(spec)) throw new Error(`expected a ${rsaBits(spec)}-bit RSA key, got ${k.bits} bits`);
    this.#priv = k.privateKey;
    this.#pub = k.publicKey;
    this.spki = spkiOf(k.publicKey);
  }
  override sign(alg: SigningAlgorithm, m: Uint8Array, t: MessageType) {
    return rsaSign(this.#priv, alg as RsaSigningAlgorithm, m, rawOrDigest(t));
  }
  override verify(alg: SigningAlgorithm, m: Uint8Array, t: MessageType, s: Uint8Array) {
    return rsaVerify(this.#pub, alg as RsaSigningAlgorithm, m, rawOrDigest(t), s);
  }
  override encrypt(alg: RsaEncryptionAlgorithm, p: Uint8Array, label?: Uint8Array) {
    return rsaEncrypt(this.#pub, alg, p, label);
  }
  override decrypt(alg: RsaEncryptionAlgorithm, c: Uint8Array, label?: Uint8Array) {
    return rsaDecrypt(this.#priv, alg, c, label);
  }
}

class Ec extends Base {
  readonly spki: Buffer;
  readonly #key: EcKey;
  readonly #curve: NistCurve;
  constructor(
    readonly spec: KeySpec,
    pkcs8: Uint8Array,
    readonly ec: typeof EcFamily,
  ) {
    super();
    this.#curve = ec.CURVE_OF_SPEC[spec as keyof typeof ec.CURVE_OF_SPEC];
    this.#key = new ec.EcKey(pkcs8, this.#curve);
    this.spki = spkiOf(this.#key.publicKey);
  }
  override sign(_alg: SigningAlgorithm, m: Uint8Array, t: MessageType) {
    return this.#key.sign(m, rawOrDigest(t));
  }
  override verify(_alg: SigningAlgorithm, m: Uint8Array, t: MessageType, s: Uint8Array) {
    return this.ec.ecdsaVerify(this.#key.publicKey, this.#curve, m, rawOrDigest(t), s);
  }
  override derive(peerSpki: Uint8Array) {
    let peer: KeyObject;
    try {
      peer = this.ec.ecPublicKey(peerSpki, this.#curve);
    } catch {
      throw new PeerKeyError(`The PublicKey is not a DER SubjectPublicKeyInfo of a valid ${this.#curve} point.`);
    }
    return this.#key.derive(peer);
  }
}

class Secp256k1 extends Base {
  readonly spec = 'ECC_SECG_P256K1' as const;
  readonly spki: Buffer;
  readonly #key: Secp256k1Key;
  constructor(
    pkcs8: Uint8Array,
    readonly secp256k1: typeof Secp256k1Family,
  ) {
    super();
    this.#key = secp256k1.Secp256k1Key.fromPkcs8(pkcs8);
    this.spki = this.#key.spki;
  }
  override async sign(_alg: SigningAlgorithm, m: Uint8Array, t: MessageType) {
    return this.#key.sign(m, rawOrDigest(t));
  }
  override async verify(_alg: SigningAlgorithm, m: Uint8Array, t: MessageType, s: Uint8Array) {
    return this.secp256k1.secp256k1Verify(this.#key.point, m, rawOrDigest(t), s);
  }
}

class Ed25519 extends Base {
  readonly spec = 'ECC_NIST_EDWARDS25519' as const;
  readonly spki: Buffer;
  readonly #key: Ed25519Key;
  constructor(
    pkcs8: Uint8Array,
    readonly ed25519: typeof Ed25519Family,
  ) {
    super();
    this.#key = new ed25519.Ed25519Key(pkcs8);
    this.spki = spkiOf(this.#key.publicKey);
  }
  override sign(_alg: SigningAlgorithm, m: Uint8Array, t: MessageType) {
    return this.#key.sign(m, rawOrDigest(t));
  }
  override verify(_alg: SigningAlgorithm, m: Uint8Array, t: MessageType, s: Uint8Array) {
    return this.ed25519.ed25519Verify(this.#key.publicKey, m, rawOrDigest(t), s);
  }
}

class X25519 extends Base {
  readonly spec = 'ECC_X25519' as const;
  readonly spki: Buffer;
  readonly #key: X25519Key;
  constructor(pkcs8: Uint8Array) {
    super();
    this.#key = new X25519Key(pkcs8);
    this.spki = spkiOf(this.#key.publicKey);
  }
  override derive(peerSpki: Uint8Array) {
    let peer: KeyObject;
    try {
      peer = x25519PublicKey(peerSpki);
    } catch {
      throw new PeerKeyError('The PublicKey is not a DER SubjectPublicKeyInfo of an X25519 key.');
    }
    try {
      return this.#key.derive(peer);
    } catch (e) {
      throw new PeerKeyError((e as Error).message);
    }
  }
}

class MlDsa extends Base {
  readonly spki: Buffer;
  readonly #key: MlDsaKey;
  constructor(
    readonly spec: MlDsaSpec,
    pkcs8: Uint8Array,
    readonly mldsa: typeof MlDsaFamily,
  ) {
    super();
    this.#key = mldsa.MlDsaKey.fromPkcs8(spec, pkcs8);
    this.spki = this.#key.spki;
  }
  override async sign(_alg: SigningAlgorithm, m: Uint8Array, t: MessageType) {
    if (t === 'DIGEST') throw new Error('ML-DSA does not sign digests');
    return this.#key.sign(m, t);
  }
  override async verify(_alg: SigningAlgorithm, m: Uint8Array, t: MessageType, s: Uint8Array) {
    if (t === 'DIGEST') throw new Error('ML-DSA does not verify digests');
    return this.mldsa.mlDsaVerify(this.spec, this.#key.publicKey, m, t, s);
  }
}

/** Opens stored (or imported) PKCS#8 material of an asymmetric key spec. Throws if it is not a key of that spec. */
export async function openPrivateKey(spec: KeySpec, pkcs8: Uint8Array): Promise<AsymmetricKey> {
  switch (familyOf(spec)) {
    case 'rsa':
      return new Rsa(spec, pkcs8);
    case 'ec':
      return new Ec(spec, pkcs8, (await noble()).ec);
    case 'secp256k1':
      return new Secp256k1(pkcs8, (await noble()).secp256k1);
    case 'ed25519':
      return new Ed25519(pkcs8, (await noble()).ed25519);
    case 'x25519':
      return new X25519(pkcs8);
    case 'mldsa':
      return new MlDsa(spec as MlDsaSpec, pkcs8, (await noble()).mldsa);
    default:
      throw new Error(`${spec} is not an asymmetric key spec`);
  }
}

/** A new key pair for an asymmetric key spec: PKCS#8 DER and SubjectPublicKeyInfo DER. */
export async function generateKeyPairFor(spec: KeySpec): Promise<{ pkcs8: Buffer; spki: Buffer }> {
  switch (familyOf(spec)) {
    case 'rsa':
      return generateRsa(rsaBits(spec));
    case 'ec': {
      const { ec } = await noble();
      return ec.generateEc(ec.CURVE_OF_SPEC[spec as keyof typeof ec.CURVE_OF_SPEC]);
    }
    case 'secp256k1': {
      const k = (await noble()).secp256k1.Secp256k1Key.generate();
      return { pkcs8: k.pkcs8, spki: k.spki };
    }
    case 'ed25519':
      return (await noble()).ed25519.generateEd25519();
    case 'x25519':
      return generateX25519();
    case 'mldsa': {
      const k = (await noble()).mldsa.MlDsaKey.generate(spec as MlDsaSpec);
      return { pkcs8: k.pkcs8, spki: k.spki };
    }
    default:
      throw new Error(`${spec} is not an asymmetric key spec`);
  }
}

/**
 * Imported material: parses PKCS#8 for the key spec and proves the pair
 * works (a signature verifies, an encryption decrypts, or a key agreement
 * with a fresh peer matches). Returns the key re-encoded the way the vault
 * stores it. Throws (any Error) when the material is not a usable key of `spec`.
 */
export async function checkImportedPrivateKey(spec: KeySpec, der: Uint8Array): Promise<{ pkcs8: Buffer; spki: Buffer }> {
  const key = await openPrivateKey(spec, der);
  const probe = randomBytes(32);
  switch (familyOf(spec)) {
    case 'rsa': {
      const ct = key.encrypt('RSAES_OAEP_SHA_256', probe);
      if (!key.decrypt('RSAES_OAEP_SHA_256', ct)?.equals(probe)) throw new Error('the RSA key pair is inconsistent');
      const sig = await key.sign('RSASSA_PKCS1_V1_5_SHA_256', probe, 'RAW');
      if (!(await key.verify('RSASSA_PKCS1_V1_5_SHA_256', probe, 'RAW', sig))) throw new Error('the RSA key pair is inconsistent');
      break;
    }
    case 'x25519': {
      const peer = await generateX25519();
      const mine = key.derive(peer.spki);
      const theirs = new X25519Key(peer.pkcs8).derive(x25519PublicKey(key.spki));
      if (!mine.equals(theirs)) throw new Error('the X25519 key pair is inconsistent');
      break;
    }
    default: {
      const alg: SigningAlgorithm = spec.startsWith('ML_DSA') ? 'ML_DSA_SHAKE_256' : spec === 'ECC_NIST_EDWARDS25519' ? 'ED25519_SHA_512' : 'ECDSA_SHA_256';
      const sig = await key.sign(alg, probe, 'RAW');
      if (!(await key.verify(alg, probe, 'RAW', sig))) throw new Error('the key pair is inconsistent');
    }
  }
  return { pkcs8: await normalizedPkcs8(spec, der), spki: key.spki };
}

async function normalizedPkcs8(spec: KeySpec, der: Uint8Array): Promise<Buffer> {
  switch (familyOf(spec)) {
    case 'secp256k1':
      return (await noble()).secp256k1.Secp256k1Key.fromPkcs8(der).pkcs8;
    case 'mldsa':
      return (await noble()).mldsa.MlDsaKey.fromPkcs8(spec as MlDsaSpec, der).pkcs8;
    default:
      return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'der' });
  }
}

/** SHA-256 of bytes, for fingerprints and commitments. */
export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();
