// The arithmetic of ssss 0.5 (B. Poettering, http://point-at-infinity.org/ssss/,
// Debian package `ssss`) for a 256-bit secret, written from its published
// algorithm so Strongroom's ssss-form shares interoperate with the real
// `ssss-split`/`ssss-combine` (issue 13). Two parts:
//
// GF(2^256). ssss works in GF(2^n), n = 8 × the secret's length in bytes,
// with a fixed low-weight irreducible polynomial per n; for n = 256 it is
//   x^256 + x^10 + x^5 + x^2 + 1
// (ssss.c's irred_coeff table, entry 31). Elements are bigints < 2^256, bit k
// the coefficient of x^k, i.e. the secret's hex digits read as one number.
//
// The diffusion layer. Before splitting, ssss runs the secret through an
// unkeyed public permutation so that a partly known secret gives no partial
// information on shares; combining inverts it. The 32 bytes are laid out as
// 16-bit words, least significant word first, each word big-endian (GMP's
// mpz_export(order -1, size 2, endian 1)); then for i = 0, 2, 4, … < 40·32 the
// 8 bytes at i, i+1, …, i+7 (mod 32) are read as two big-endian 32-bit words
// and enciphered with XTEA (Needham & Wheeler, 1997) under the all-zero key,
// 32 cycles, and written back. Decoding runs the same slices backwards with
// XTEA decipherment.
//
// This is not new cryptography: the field and the permutation are ssss's, kept
// here only so the shares mean the same thing to both programs; the tests
// check them against the binaries both ways.
export const SSSS_DEGREE = 256;
const BYTES = SSSS_DEGREE / 8;
const MODULUS = (1n << 256n) | (1n << 10n) | (1n << 5n) | (1n << 2n) | 1n;
const TOP = 1n << 256n;

// Addition (and subtraction) in GF(2^n) is XOR: `a ^ b`.

/** a·b mod the field polynomial (shift and add, MSB first). */
export function fieldMul(a: bigint, b: bigint): bigint {
  let r = 0n;
  for (let i = SSSS_DEGREE - 1; i >= 0; i--) {
    r <<= 1n;
    if (r & TOP) r ^= MODULUS;
    if ((b >> BigInt(i)) & 1n) r ^= a;
  }
  return r;
}

function bitLength(a: bigint): number {
  return a === 0n ? 0 : a.toString(2).length;
}

/**
 * a^-1 by the extended Euclidean algorithm over GF(2)[x] (Menezes, van
 * Oorschot, Vanstone, Handbook of Applied Cryptography, Algorithm 2.227):
 * invariant g1·a ≡ u and g2·a ≡ v (mod f), until u = 1.
 */
export function fieldInv(a: bigint): bigint {
  if (a === 0n) throw new RangeError('0 has no inverse');
  let u = a;
  let v = MODULUS;
  let g1 = 1n;
  let g2 = 0n;
  while (u !== 1n) {
    let j = bitLength(u) - bitLength(v);
    if (j < 0) {
      [u, v] = [v, u];
      [g1, g2] = [g2, g1];
      j = -j;
    }
    u ^= v << BigInt(j);
    g1 ^= g2 << BigInt(j);
  }
  return g1;
}

export function fieldPow(a: bigint, e: number): bigint {
  let r = 1n;
  for (let i = 0; i < e; i++) r = fieldMul(r, a);
  return r;
}

export function bytesToElement(b: Uint8Array): bigint {
  if (b.length !== BYTES) throw new RangeError(`expected ${BYTES} bytes, got length=${b.length}`);
  return BigInt(`0x${Buffer.from(b).toString('hex')}`);
}

export function elementToBytes(x: bigint): Buffer {
  return Buffer.from(x.toString(16).padStart(BYTES * 2, '0'), 'hex');
}

// ---- diffusion layer --------------------------------------------------------

const DELTA = 0x9e3779b9;
const ROUNDS = 32;

/** XTEA encipherment of (v0, v1) under the all-zero key (the key terms vanish). */
export function xteaEncipher(v0: number, v1: number): [number, number] {
  let sum = 0;
  for (let i = 0; i < ROUNDS; i++) {
    v0 = (v0 + ((((v1 << 4) ^ (v1 >>> 5)) + v1) ^ sum)) >>> 0;
    sum = (sum + DELTA) >>> 0;
    v1 = (v1 + ((((v0 << 4) ^ (v0 >>> 5)) + v0) ^ sum)) >>> 0;
  }
  return [v0, v1];
}

export function xteaDecipher(v0: number, v1: number): [number, number] {
  let sum = Math.imul(DELTA, ROUNDS) >>> 0;
  for (let i = 0; i < ROUNDS; i++) {
    v1 = (v1 - ((((v0 << 4) ^ (v0 >>> 5)) + v0) ^ sum)) >>> 0;
    sum = (sum - DELTA) >>> 0;
    v0 = (v0 - ((((v1 << 4) ^ (v1 >>> 5)) + v1) ^ sum)) >>> 0;
  }
  return [v0, v1];
}

function processSlice(v: Uint8Array, idx: number, block: (a: number, b: number) => [number, number]): void {
  const at = (k: number) => (idx + k) % BYTES;
  const word = (k: number) => ((v[at(k)]! << 24) | (v[at(k + 1)]! << 16) | (v[at(k + 2)]! << 8) | v[at(k + 3)]!) >>> 0;
  const out = block(word(0), word(4));
  for (let w = 0; w < 2; w++) {
    for (let k = 0; k < 4; k++) v[at(4 * w + k)] = (out[w]! >>> (24 - 8 * k)) & 0xff;
  }
}

/** GMP's mpz_export(order -1, size 2, endian 1) of a 256-bit value, and back. */
function toWordBytes(x: bigint): Uint8Array {
  const be = elementToBytes(x);
  const v = new Uint8Array(BYTES);
  for (let w = 0; w < BYTES / 2; w++) {
    v[2 * w] = be[BYTES - 2 - 2 * w]!;
    v[2 * w + 1] = be[BYTES - 1 - 2 * w]!;
  }
  be.fill(0);
  return v;
}

function fromWordBytes(v: Uint8Array): bigint {
  const be = Buffer.alloc(BYTES);
  for (let w = 0; w < BYTES / 2; w++) {
    be[BYTES - 2 - 2 * w] = v[2 * w]!;
    be[BYTES - 1 - 2 * w] = v[2 * w + 1]!;
  }
  const x = bytesToElement(be);
  be.fill(0);
  return x;
}

const SLICES = 40 * BYTES; // "40 rounds are more than enough!" (ssss.c)

export function diffuse(x: bigint): bigint {
  const v = toWordBytes(x);
  for (let i = 0; i < SLICES; i += 2) processSlice(v, i, xteaEncipher);
  const y = fromWordBytes(v);
  v.fill(0);
  return y;
}

export function undiffuse(x: bigint): bigint {
  const v = toWordBytes(x);
  for (let i = SLICES - 2; i >= 0; i -= 2) processSlice(v, i, xteaDecipher);
  const y = fromWordBytes(v);
  v.fill(0);
  return y;
}
