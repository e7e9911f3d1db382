// Passphrase custody of the vault master key (VMK), for machines with no OS
// keychain: the VMK is sealed with AES-256-GCM (NIST SP 800-38D) under a
// key-encryption key derived from the passphrase with Argon2id (RFC 9106).
//
//   KEK        = Argon2id(passphrase, salt, m, t, p, 32)     RFC 9106 §3.1
//   wrappedVmk = nonce(12) || AES-256-GCM(KEK, VMK, AAD) || tag(16)
//   AAD        = "strongroom:vmk-custody:v1" 0x00 "passphrase" 0x00 vaultId
//
// The salt and the Argon2 parameters are not in the AAD: they are inputs to
// the KEK, so changing either already yields a different key and a failed
// tag. The AAD binds what the key does not: which vault and which custody
// kind this blob belongs to, so a record copied into another vault, or
// reinterpreted as another kind, fails to open.
import { randomBytes } from 'node:crypto';
import { KmsError } from '../core/errors.js';
import { open, seal, NONCE_LENGTH, TAG_LENGTH } from '../core/crypto/aes-gcm.js';
import { argon2ParamsProblem, deriveKey, DEFAULT_ARGON2, type Argon2Params } from '../core/crypto/argon2.js';

/** RFC 9106 §3.1: a 128-bit salt is sufficient for all applications. */
export const SALT_LENGTH = 16;
const VMK_LENGTH = 32;
const WRAPPED_VMK_LENGTH = NONCE_LENGTH + VMK_LENGTH + TAG_LENGTH;

interface PassphraseWrap {
  kdf: 'argon2id';
  params: Argon2Params;
  /** base64 */
  salt: string;
  /** base64 of nonce || ciphertext || tag */
  wrappedVmk: string;
}

function passphraseAad(vaultId: string): Buffer {
  return Buffer.from(`strongroom:vmk-custody:v1\0passphrase\0${vaultId}`, 'utf8');
}

function malformed(detail: string): KmsError {
  return new KmsError('KMSInvalidStateException', `The vault's passphrase custody record is malformed: ${detail}.`);
}

/** Bounds checked before deriving (argon2.ts): the parameters come from the vault file. */
function checkArgon2Params(p: Argon2Params): void {
  const problem = argon2ParamsProblem(p);
  if (problem !== undefined) throw malformed(problem);
}

function decodeBase64(field: string, value: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw malformed(`${field} is not base64`);
  }
  return Buffer.from(value, 'base64');
}

export async function wrapVmkWithPassphrase(
  vaultId: string,
  vmk: Uint8Array,
  passphrase: string,
  params: Argon2Params = DEFAULT_ARGON2,
): Promise<PassphraseWrap> {
  if (vmk.length !== VMK_LENGTH) throw new RangeError(`expected VMK of length ${VMK_LENGTH}, got length=${vmk.length}`);
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new KmsError('ValidationException', 'The vault passphrase must not be empty.');
  }
  checkArgon2Params(params);
  const salt = randomBytes(SALT_LENGTH);
  const kek = await deriveKey(passphrase, salt, params);
  try {
    const wrapped = seal(kek, vmk, passphraseAad(vaultId));
    return {
      kdf: 'argon2id',
      params: { m: params.m, t: params.t, p: params.p },
      salt: salt.toString('base64'),
      wrappedVmk: wrapped.toString('base64'),
    };
  } finally {
    kek.fill(0);
  }
}

/**
 * Opens the VMK. A wrong passphrase and a tampered salt, nonce, ciphertext or
 * tag are indistinguishable by design (one GCM tag check), so both are
 * AccessDeniedException; a structurally broken record is a state error.
 */
export async function unwrapVmkWithPassphrase(vaultId: string, wrap: PassphraseWrap, passphrase: string): Promise<Buffer> {
  if (wrap.kdf !== 'argon2id') throw malformed(`unknown kdf ${JSON.stringify(wrap.kdf)}`);
  checkArgon2Params(wrap.params);
  const salt = decodeBase64('salt', wrap.salt);
  if (salt.length < SALT_LENGTH || salt.length > 64) throw malformed(`salt has ${salt.length} bytes, expected ${SALT_LENGTH}..64`);
  const wrapped = decodeBase64('wrappedVmk', wrap.wrappedVmk);
  if (wrapped.length !== WRAPPED_VMK_LENGTH) {
    throw malformed(`wrappedVmk has ${wrapped.length} bytes, expected ${WRAPPED_VMK_LENGTH}`);
  }
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new KmsError('AccessDeniedException', `Wrong vault passphrase for vault ${vaultId}: the passphrase is empty.`);
  }
  // hash-wasm keeps its own copy of the derived bytes in WASM memory, which
  // JavaScript cannot reach to zero; we zero every copy we own.
  const kek = await deriveKey(passphrase, salt, wrap.params);
  let vmk: Buffer | undefined;
  try {
    vmk = open(kek, wrapped, passphraseAad(vaultId));
  } finally {
    kek.fill(0);
  }
  if (vmk === undefined) {
    throw new KmsError(
      'AccessDeniedException',
      `Wrong vault passphrase for vault ${vaultId} (or the vault's custody record was altered).`,
    );
  }
  if (vmk.length !== VMK_LENGTH) {
    vmk.fill(0);
    throw malformed(`the unwrapped master key has ${vmk.length} bytes`);
  }
  return vmk;
}
