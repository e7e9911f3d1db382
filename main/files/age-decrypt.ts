// decryptAgeFile: decrypts an age file (age-encryption.org/v1, C2SP age.md)
// that a partner made with the `age` tool for a vault key's exported
// recipient, without the private key leaving the vault.
//
// The age-encryption library does the format work (header parsing, header
// MAC, the STREAM payload); the identities below do the one key operation
// per file inside the vault:
//
//   X25519 stanza   (recipient age1…, key spec ECC_X25519)
//     shared = DeriveSharedSecret(KeyId, ECDH, ephemeral share)   [kms:DeriveSharedSecret]
//     wrap key = HKDF-SHA-256(shared, salt = share ‖ our public key,
//                             "age-encryption.org/v1/X25519"), then
//     ChaCha20-Poly1305 (zero nonce) opens the 16-byte file key here.
//   ssh-rsa stanza  (recipient `ssh-rsa …`, an RSA ENCRYPT_DECRYPT key)
//     RSA-OAEP-SHA-256 with the label "age-encryption.org/v1/ssh-rsa" — a
//     label AWS's Decrypt cannot take — so the vault runs the internal
//     operation DecryptAgeSshRsaStanza (core/kms/age-unwrap.ts) [kms:Decrypt].
//
// Both also read the public key (GetPublicKey, kms:GetPublicKey) to match
// stanzas to the key. Output goes to a temporary file in the destination's
// directory, synced and renamed over OutPath only after the last chunk
// authenticates; on any failure the temporary file is removed.
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { armor, Decrypter, type Identity, type Stanza } from 'age-encryption';
import { AGE_FILE_KEY_LENGTH, DecryptAgeSshRsaStanza } from '../core/kms/age-unwrap.js';
import { x25519SpkiFromRaw } from '../core/kms/asymmetric/x25519.js';
import type { Caller } from '../core/service/caller.js';
import { invalidCiphertext, isKmsError, KmsError, validation } from '../core/errors.js';
import type { Service } from '../core/service/service.js';
import { sshPublicKeyBlob } from '../core/codecs/public-key-formats.js';
import { type KeySpec } from '../api/enums.js';

/** What decryptAgeFile needs of the Service. */
export type AgeDecryptService = Pick<Service, 'call' | 'callInternal'>;

interface AgeDecryptRequest {
  /** the vault key the file was encrypted to: an ECC_X25519 key, or an RSA ENCRYPT_DECRYPT key (id, ARN, alias) */
  KeyId: string;
  /** the age file (binary, or ASCII-armored with -----BEGIN AGE ENCRYPTED FILE-----) */
  InPath: string;
  /** where the plaintext goes; written to a temporary file and renamed into place */
  OutPath: string;
}

interface AgeDecryptResult {
  /** the key's ARN */
  KeyId: string;
  RecipientType: 'X25519' | 'ssh-rsa';
  BytesWritten: number;
}

/** The first line of every binary age file (age spec, "Header"). */
const AGE_MAGIC = 'age-encryption.org/v1';
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
/** armored files are read whole; keep them to a sane size */
const MAX_ARMORED_BYTES = 64 * 1024 * 1024;
const X25519_LABEL = Buffer.from('age-encryption.org/v1/X25519');

/** True when the bytes start an age file (binary or armored). */
export function looksLikeAge(head: Uint8Array): boolean {
  const s = Buffer.from(head.subarray(0, ARMOR_BEGIN.length)).toString('latin1');
  return s.startsWith(`${AGE_MAGIC}\n`) || s.startsWith(ARMOR_BEGIN);
}

/** age's base64: standard alphabet, no padding, canonical (age spec, "Header"). */
function b64raw(s: string | undefined, length: number): Buffer | undefined {
  if (s === undefined || !/^[A-Za-z0-9+/]*$/.test(s)) return undefined;
  const b = Buffer.from(s, 'base64');
  return b.length === length && b.toString('base64').replace(/=+$/, '') === s ? b : undefined;
}

class VaultX25519Identity implements Identity {
  constructor(
    private readonly service: AgeDecryptService,
    private readonly caller: Caller,
    private readonly keyId: string,
    /** our raw 32-byte X25519 public key */
    private readonly ourPublic: Buffer,
  ) {}

  async unwrapFileKey(stanzas: Stanza[]): Promise<Uint8Array | null> {
    for (const s of stanzas) {
      if (s.args[0] !== 'X25519') continue;
      const share = b64raw(s.args[1], 32);
      if (s.args.length !== 2 || !share || s.body.length !== 32) throw invalidCiphertext('The age file has a malformed X25519 stanza.');
      const { SharedSecret } = (await this.service.call(this.caller, 'DeriveSharedSecret', {
        KeyId: this.keyId,
        KeyAgreementAlgorithm: 'ECDH',
        PublicKey: x25519SpkiFromRaw(share),
      })) as { SharedSecret: Uint8Array };
      const wrapKey = Buffer.from(hkdfSync('sha256', SharedSecret, Buffer.concat([share, this.ourPublic]), X25519_LABEL, 32));
      Buffer.from(SharedSecret.buffer, SharedSecret.byteOffset, SharedSecret.byteLength).fill(0);
      const fileKey = chacha20poly1305Open(wrapKey, s.body);
      wrapKey.fill(0);
      // a stanza for another recipient fails authentication: try the next one
      if (fileKey) return fileKey;
    }
    return null;
  }
}

class VaultSshRsaIdentity implements Identity {
  constructor(
    private readonly service: AgeDecryptService,
    private readonly caller: Caller,
    private readonly keyId: string,
    /** base64(SHA-256(ssh key blob)[:4]), no padding: the stanza's tag */
    private readonly tag: string,
  ) {}

  async unwrapFileKey(stanzas: Stanza[]): Promise<Uint8Array | null> {
    for (const s of stanzas) {
      if (s.args[0] !== 'ssh-rsa') continue;
      if (s.args.length !== 2 || !b64raw(s.args[1], 4)) throw invalidCiphertext('The age file has a malformed ssh-rsa stanza.');
      if (s.args[1] !== this.tag) continue;
      // the tag names this key: a failure now is an error, not "someone else's stanza" (as age does)
      const { Plaintext } = (await this.service.callInternal(this.caller, DecryptAgeSshRsaStanza, { KeyId: this.keyId, Body: s.body })) as { Plaintext: Uint8Array };
      return Plaintext;
    }
    return null;
  }
}

/** ChaCha20-Poly1305 (RFC 8439) with age's all-zero nonce; @noble/ciphers, as Electron's BoringSSL may lack the cipher. */
function chacha20poly1305Open(key: Buffer, sealed: Uint8Array): Uint8Array | null {
  try {
    const out = chacha20poly1305(key, new Uint8Array(12)).decrypt(sealed);
    return out.length === AGE_FILE_KEY_LENGTH ? out : null;
  } catch {
    return null;
  }
}

/** The stanza tag of an RSA public key: SHA-256 of its SSH wire encoding, first 4 bytes (age spec, "The ssh-rsa recipient type"). */
function sshRsaTag(spec: KeySpec, spki: Uint8Array): string {
  const { blob } = sshPublicKeyBlob(spec, spki);
  return createHash('sha256').update(blob).digest().subarray(0, 4).toString('base64').replace(/=+$/, '');
}

async function identityFor(service: AgeDecryptService, caller: Caller, keyId: string): Promise<{ identity: Identity; arn: string; type: AgeDecryptResult['RecipientType'] }> {
  const pub = (await service.call(caller, 'GetPublicKey', { KeyId: keyId })) as { KeyId: string; PublicKey: Uint8Array; KeySpec: KeySpec; KeyUsage: string };
  const spki = Buffer.from(pub.PublicKey);
  if (pub.KeySpec === 'ECC_X25519') {
    return { identity: new VaultX25519Identity(service, caller, pub.KeyId, spki.subarray(spki.length - 32)), arn: pub.KeyId, type: 'X25519' };
  }
  if (pub.KeySpec.startsWith('RSA_') && pub.KeyUsage === 'ENCRYPT_DECRYPT') {
    return { identity: new VaultSshRsaIdentity(service, caller, pub.KeyId, sshRsaTag(pub.KeySpec, spki)), arn: pub.KeyId, type: 'ssh-rsa' };
  }
  throw new KmsError(
    'InvalidKeyUsageException',
    `${pub.KeyId} (${pub.KeySpec}, ${pub.KeyUsage}) cannot decrypt age files: use an ECC_X25519 key or an RSA key with KeyUsage ENCRYPT_DECRYPT.`,
  );
}

/** The file as a web stream of age's binary encoding (armor removed). */
async function openAgeInput(path: string): Promise<WebReadableStream<Uint8Array>> {
  const fh = await open(path, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(ARMOR_BEGIN.length);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const text = head.toString('latin1');
  if (text.startsWith(ARMOR_BEGIN)) {
    if ((await stat(path)).size > MAX_ARMORED_BYTES) throw validation(`An ASCII-armored age file can be at most ${MAX_ARMORED_BYTES} bytes; ask for a binary age file.`);
    let binary: Uint8Array;
    try {
      binary = armor.decode(await readFile(path, 'latin1'));
    } catch (e) {
      throw invalidCiphertext(`The ASCII-armored age file is malformed: ${(e as Error).message}.`);
    }
    return Readable.toWeb(Readable.from([binary])) as WebReadableStream<Uint8Array>;
  }
  if (!text.startsWith(AGE_MAGIC)) throw invalidCiphertext(`${path} is not an age file: it does not begin with "${AGE_MAGIC}".`);
  return Readable.toWeb(createReadStream(path)) as WebReadableStream<Uint8Array>;
}

/**
 * Decrypts the age file at InPath to OutPath with the vault key KeyId.
 * Errors are KmsErrors: IncorrectKeyException when the file is not for this
 * key, InvalidCiphertextException when it is malformed, altered or
 * truncated, and whatever the key operations refuse (AccessDenied,
 * DisabledException, …).
 */
export async function decryptAgeFile(service: AgeDecryptService, caller: Caller, req: AgeDecryptRequest): Promise<AgeDecryptResult> {
  const inPath = resolve(req.InPath);
  const outPath = resolve(req.OutPath);
  if (inPath === outPath) throw validation('InPath and OutPath are the same file; write the plaintext somewhere else.');
  const { identity, arn, type } = await identityFor(service, caller, req.KeyId);
  const input = await openAgeInput(inPath);
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);

  const temp = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    let plaintext: ReadableStream<Uint8Array>;
    try {
      plaintext = await decrypter.decrypt(input as unknown as ReadableStream<Uint8Array>);
    } catch (e) {
      throw ageError(e, arn);
    }
    let written = 0;
    const out = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
    created = true;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        written += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(plaintext as unknown as WebReadableStream<Uint8Array>), count, out);
    } catch (e) {
      throw ageError(e, arn);
    }
    // durable before it takes OutPath's name
    const fh = await open(temp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, outPath);
    created = false;
    return { KeyId: arn, RecipientType: type, BytesWritten: written };
  } finally {
    if (created) await unlink(temp).catch(() => {});
  }
}

function ageError(e: unknown, arn: string): KmsError {
  if (isKmsError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/no identity matched/.test(message)) {
    return new KmsError('IncorrectKeyException', `The age file is not encrypted to ${arn}: none of its recipient stanzas is for this key.`);
  }
  return invalidCiphertext(`The age file is malformed, altered or truncated (${message}).`);
}
