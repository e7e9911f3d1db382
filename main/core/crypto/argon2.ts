// Argon2id (RFC 9106) through hash-wasm, ~4x faster here than @noble/hashes.
// Used for user passphrases and for the passphrase custody of the vault
// master key. Parameters are stored beside every hash so they can be raised
// later without breaking existing vaults.
import { argon2id } from 'hash-wasm';
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface Argon2Params {
  /** memory in KiB */
  m: number;
  /** iterations */
  t: number;
  /** parallelism */
  p: number;
}

/** RFC 9106 §4 second recommended option (64 MiB, t=3, p=4) with p=1 for a 2-core desktop: ~250 ms here. */
export const DEFAULT_ARGON2: Argon2Params = { m: 65536, t: 3, p: 1 };

/**
 * Bounds for parameters read back from a file, checked before deriving: a
 * tampered m = 4 GiB must fail fast rather than exhaust memory. The lower
 * bounds are RFC 9106 §3.1's (m ≥ 8·p KiB, t ≥ 1, 1 ≤ p < 2^24); raising the
 * stored values later is how the work factor is increased.
 */
const MAX_M_KIB = 2 * 1024 * 1024; // 2 GiB
const MAX_T = 64;
const MAX_P = 64;

/** What is wrong with stored Argon2id parameters, or undefined when they are within bounds. */
export function argon2ParamsProblem(p: Argon2Params): string | undefined {
  const int = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);
  if (!int(p.p) || p.p < 1 || p.p > MAX_P) return `argon2 parallelism p=${String(p.p)} is outside 1..${MAX_P}`;
  if (!int(p.t) || p.t < 1 || p.t > MAX_T) return `argon2 iterations t=${String(p.t)} is outside 1..${MAX_T}`;
  if (!int(p.m) || p.m < 8 * p.p || p.m > MAX_M_KIB) return `argon2 memory m=${String(p.m)} KiB is outside ${8 * p.p}..${MAX_M_KIB}`;
  return undefined;
}

export async function deriveKey(passphrase: string, salt: Uint8Array, params: Argon2Params, length = 32): Promise<Buffer> {
  if (salt.length < 16) throw new RangeError(`expected salt of at least 16 bytes, got length=${salt.length}`);
  const out = await argon2id({
    password: passphrase.normalize('NFC'),
    salt,
    parallelism: params.p,
    iterations: params.t,
    memorySize: params.m,
    hashLength: length,
    outputType: 'binary',
  });
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

export interface PassphraseHash {
  alg: 'argon2id';
  params: Argon2Params;
  salt: string; // base64
  hash: string; // base64
}

export async function hashPassphrase(passphrase: string, params: Argon2Params = DEFAULT_ARGON2): Promise<PassphraseHash> {
  const salt = randomBytes(16);
  const hash = await deriveKey(passphrase, salt, params);
  return { alg: 'argon2id', params, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function verifyPassphrase(passphrase: string, stored: PassphraseHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await deriveKey(passphrase, Buffer.from(stored.salt, 'base64'), stored.params, expected.length);
  return timingSafeEqual(actual, expected);
}
