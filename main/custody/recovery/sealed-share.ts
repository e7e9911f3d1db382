// A recovery share as a file for its custodian, sealed one of two ways. Both
// are text (armored), versioned and self-describing; the caller writes them
// (atomically) and reads them back; these functions only make and open bytes.
//
// 1. Sealed under the custodian's passphrase, as the vault master key is in
//    passphrase custody (../passphrase.ts): Argon2id (RFC 9106) derives a
//    key-encryption key, AES-256-GCM (SP 800-38D) seals the share record.
//
//      Strongroom recovery share 2 of 5 (3 needed) for vault <uuid>.  (ignored on reading)
//      -----BEGIN STRONGROOM PASSPHRASE-SEALED RECOVERY SHARE-----
//      base64 of the body below
//      -----END STRONGROOM PASSPHRASE-SEALED RECOVERY SHARE-----
//
//      offset size
//       0      1   body version (1)
//       1      1   KDF (1 = Argon2id)
//       2      4   Argon2 m, KiB
//       6      1   Argon2 t
//       7      1   Argon2 p
//       8     16   salt
//      24     16   vault id  ┐ the share's public header, so the file says
//      40      4   split id  │ whose share it is before the passphrase is
//      44      3   i, M, N   ┘ typed
//      47     12   nonce
//      59     77   AES-256-GCM(KEK, share record(61), AAD) || tag(16)
//
//      KEK = Argon2id(passphrase, salt, m, t, p, 32)
//      AAD = "strongroom:recovery-share:v1" 0x00 "passphrase" 0x00 || body[0..47)
//    The AAD binds the header shown to the custodian to the sealed record;
//    after opening, the record must also name the same share as the header.
//
// 2. Sealed to an age recipient (age-encryption.org/v1, C2SP age.md) with
//    the age-encryption package, ASCII-armored; the plaintext is the share
//    record in PEM armor (label STRONGROOM RECOVERY SHARE, with the same
//    explanatory line), so `age -d -i identity share.age` gives the
//    custodian a readable file Strongroom also reads back (parseShareText).
//
// Errors: a wrong passphrase is AccessDeniedException (as for the vault
// passphrase: wrong passphrase and altered file are one GCM tag failure); an
// age file not sealed to the identity given is IncorrectKeyException (as
// ../../files/age-decrypt.ts); a truncated, garbled or altered file is
// InvalidCiphertextException; a bad passphrase, recipient or identity
// argument is ValidationException.
import { randomBytes } from 'node:crypto';
import { armor as ageArmor, Decrypter, Encrypter } from 'age-encryption';
import { KmsError, accessDenied, invalidCiphertext, validation } from '../../core/errors.js';
import { open, seal, NONCE_LENGTH, TAG_LENGTH } from '../../core/crypto/aes-gcm.js';
import { argon2ParamsProblem, deriveKey, DEFAULT_ARGON2, type Argon2Params } from '../../core/crypto/argon2.js';
import { PASSPHRASE_LABEL, PLAIN_LABEL, armor, dearmor } from './armor.js';
import { SHARE_RECORD_LENGTH, decodeShare, describeShare, vaultIdFromBytes, type RecoveryShare } from './share-record.js';

const BODY_VERSION = 1;
const KDF_ARGON2ID = 1;
const SALT_LENGTH = 16; // RFC 9106 §3.1
const HEADER_LENGTH = 47;
const BODY_LENGTH = HEADER_LENGTH + NONCE_LENGTH + SHARE_RECORD_LENGTH + TAG_LENGTH; // 136
const AAD_PREFIX = Buffer.from('strongroom:recovery-share:v1\0passphrase\0', 'utf8');

/** Whose share a sealed file holds, readable without its passphrase. */
export type ShareHeader = Omit<RecoveryShare, 'value'>;

function headerOf(s: RecoveryShare, params: Argon2Params, salt: Uint8Array, record: Uint8Array): Buffer {
  const h = Buffer.alloc(HEADER_LENGTH);
  h[0] = BODY_VERSION;
  h[1] = KDF_ARGON2ID;
  h.writeUInt32BE(params.m, 2);
  h[6] = params.t;
  h[7] = params.p;
  h.set(salt, 8);
  h.set(record.subarray(1, 24), 24); // vault id, split id, i, M, N: the record's own bytes
  return h;
}

function explanatory(s: ShareHeader, sealing: string): string {
  return `Strongroom recovery ${describeShare(s)}.\n${sealing}`;
}

/** Seals a share record under its custodian's passphrase; returns the armored file text. */
export async function sealShareWithPassphrase(record: Uint8Array, passphrase: string, params: Argon2Params = DEFAULT_ARGON2): Promise<string> {
  const share = decodeShare(record);
  share.value.fill(0);
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw validation("The custodian's passphrase must not be empty.");
  const problem = argon2ParamsProblem(params);
  if (problem !== undefined || params.t > 255 || params.p > 255) throw validation(`Unusable Argon2id parameters: ${problem ?? 't and p must be at most 255'}.`);
  const salt = randomBytes(SALT_LENGTH);
  const header = headerOf(share, params, salt, record);
  const kek = await deriveKey(passphrase, salt, params);
  try {
    const sealed = seal(kek, record, Buffer.concat([AAD_PREFIX, header]));
    return armor(PASSPHRASE_LABEL, Buffer.concat([header, sealed]), explanatory(share, 'Sealed under its custodian\'s passphrase (Argon2id, AES-256-GCM).'));
  } finally {
    kek.fill(0);
  }
}

interface ParsedBody {
  header: ShareHeader;
  params: Argon2Params;
  salt: Buffer;
  aad: Buffer;
  sealed: Buffer;
}

function parseBody(file: string | Uint8Array): ParsedBody {
  const what = 'The share file';
  const body = dearmor(file, PASSPHRASE_LABEL, what);
  if (body.length < HEADER_LENGTH) throw invalidCiphertext(`${what} is truncated (${body.length} bytes).`);
  if (body[0] !== BODY_VERSION) throw invalidCiphertext(`${what} has format version ${body[0]}; this Strongroom reads version ${BODY_VERSION}.`);
  if (body[1] !== KDF_ARGON2ID) throw invalidCiphertext(`${what} names an unknown key derivation (${body[1]}).`);
  if (body.length !== BODY_LENGTH) throw invalidCiphertext(`${what} has ${body.length} bytes, expected ${BODY_LENGTH}: it is truncated or damaged.`);
  const params = { m: body.readUInt32BE(2), t: body[6]!, p: body[7]! };
  const problem = argon2ParamsProblem(params);
  if (problem !== undefined) throw invalidCiphertext(`${what} is damaged: ${problem}.`);
  const header: ShareHeader = {
    vaultId: vaultIdFromBytes(body.subarray(24, 40)),
    splitId: body.subarray(40, 44).toString('hex'),
    index: body[44]!,
    threshold: body[45]!,
    count: body[46]!,
  };
  return {
    header,
    params,
    salt: body.subarray(8, 24),
    aad: Buffer.concat([AAD_PREFIX, body.subarray(0, HEADER_LENGTH)]),
    sealed: body.subarray(HEADER_LENGTH),
  };
}

/** Whose share a passphrase-sealed file holds (unauthenticated until opened). */
export function peekSealedShare(file: string | Uint8Array): ShareHeader {
  return parseBody(file).header;
}

/** Opens a passphrase-sealed share file; returns the share record. */
export async function openShareWithPassphrase(file: string | Uint8Array, passphrase: string): Promise<Buffer> {
  const { header, params, salt, aad, sealed } = parseBody(file);
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw accessDenied(`Wrong passphrase for ${describeShare(header)}: the passphrase is empty.`);
  }
  // hash-wasm keeps its own copy of the derived bytes in WASM memory, out of reach; we zero ours.
  const kek = await deriveKey(passphrase, salt, params);
  let record: Buffer | undefined;
  try {
    record = open(kek, sealed, aad);
  } finally {
    kek.fill(0);
  }
  if (record === undefined) {
    throw accessDenied(`Wrong passphrase for ${describeShare(header)} (or the share file was altered).`);
  }
  const share = decodeShare(record, 'The sealed share');
  share.value.fill(0);
  const same = share.vaultId === header.vaultId && share.splitId === header.splitId && share.index === header.index && share.threshold === header.threshold && share.count === header.count;
  if (!same) {
    record.fill(0);
    throw invalidCiphertext(`The share file's header says ${describeShare(header)}, but the sealed share inside is ${describeShare(share)}.`);
  }
  return record;
}

// ---- age --------------------------------------------------------------------

/** A share record as text: the plaintext of an age share file. */
export function shareText(record: Uint8Array): string {
  const share = decodeShare(record);
  share.value.fill(0);
  return armor(PLAIN_LABEL, record, explanatory(share, 'Unsealed: anyone who reads this file holds the share.'));
}

/** Reads the text shareText made (what `age -d` prints) back into the share record. */
export function parseShareText(text: string | Uint8Array): Buffer {
  const record = dearmor(text, PLAIN_LABEL, 'The share text');
  decodeShare(record, 'The share text').value.fill(0);
  return record;
}

/** An Encrypter to the recipient; ValidationException when it is not an age recipient. */
function encrypterTo(recipient: string): Encrypter {
  const e = new Encrypter();
  try {
    e.addRecipient(String(recipient).trim());
  } catch {
    throw validation('The age recipient is not valid: expected an age public key such as age1… (from age-keygen -y).');
  }
  return e;
}

/** Checks an age recipient before a ceremony asks anyone for anything (ValidationException as sealing would throw). */
export function checkAgeRecipient(recipient: string): void {
  encrypterTo(recipient);
}

/** Seals a share record to an age recipient (age1…); returns the ASCII-armored age file. */
export async function sealShareToAgeRecipient(record: Uint8Array, recipient: string): Promise<string> {
  const text = shareText(record);
  return ageArmor.encode(await encrypterTo(recipient).encrypt(text));
}

const AGE_MAGIC = 'age-encryption.org/v1';

/** The identities in an identity string or an age-keygen file (comment lines skipped). */
function identities(identity: string): string[] {
  const found = String(identity)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (found.length === 0) throw validation('No age identity was given (expected AGE-SECRET-KEY-1…).');
  return found;
}

/** Opens an age share file (armored or binary) with the custodian's identity; returns the share record. */
export async function openShareWithAgeIdentity(file: string | Uint8Array, identity: string): Promise<Buffer> {
  const d = new Decrypter();
  for (const id of identities(identity)) {
    try {
      d.addIdentity(id);
    } catch {
      throw validation('The age identity is not valid: expected an age secret key such as AGE-SECRET-KEY-1… (or an age-keygen file).');
    }
  }
  const text = typeof file === 'string' ? file : Buffer.from(file).toString('latin1');
  let binary: Uint8Array;
  if (text.trimStart().startsWith('-----BEGIN AGE ENCRYPTED FILE-----')) {
    try {
      binary = ageArmor.decode(text);
    } catch (e) {
      throw invalidCiphertext(`The age share file is damaged or truncated (${(e as Error).message}).`);
    }
  } else if (text.startsWith(AGE_MAGIC)) {
    binary = typeof file === 'string' ? Buffer.from(file, 'latin1') : file;
  } else {
    throw invalidCiphertext(`The share file is not an age file: it does not begin with "${AGE_MAGIC}" or "-----BEGIN AGE ENCRYPTED FILE-----".`);
  }
  let plaintext: Uint8Array;
  try {
    plaintext = await d.decrypt(binary);
  } catch (e) {
    if (e instanceof KmsError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (/no identity matched/.test(message)) {
      throw new KmsError('IncorrectKeyException', 'The age share file is not sealed to this identity: it is another custodian\'s share, or the wrong key file.');
    }
    throw invalidCiphertext(`The age share file is damaged, altered or truncated (${message}).`);
  }
  try {
    return parseShareText(plaintext);
  } finally {
    plaintext.fill(0);
  }
}
