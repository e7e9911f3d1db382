// The Strongroom encrypted file format, version 1 (docs/file-format.md is
// the normative description; this module is its implementation).
//
//   header   magic, version, lengths, segment size, salt, nonce prefix,
//            CMK ARN, encrypted data key, encryption context,
//            key commitment, header MAC
//   segments AES-256-GCM over the plaintext split into SegmentSize pieces
//
// Envelope: one fresh data key per file from GenerateDataKey. From it and
// the per-file salt, HKDF-SHA256 (RFC 5869) derives three 32-byte values:
// the segment key, the header MAC key and the key commitment. The
// commitment is stored in the header and compared before anything else, so
// a file can be opened only with the data key it was made with (AWS
// Encryption SDK's key commitment does the same). The header MAC
// (HMAC-SHA256) covers every header byte before it, and it is every
// segment's associated data, which binds the segments to this header.
//
// Segments follow the STREAM construction (Hoang, Reyhanitabar, Rogaway,
// Vizár, "Online Authenticated-Encryption and its Nonce-Reuse
// Misuse-Resistance", 2015) as age (C2SP agead) and Tink's streaming AEAD
// instantiate it: nonce = prefix(7) ‖ index(uint32 BE) ‖ final flag(1), so a
// segment moved, dropped, duplicated, or a stream cut or extended, fails
// authentication at the first segment out of place.
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';
import { canonicalContext, type EncryptionContext } from '../core/codecs/encryption-context.js';
import { KmsError, invalidCiphertext, validation } from '../core/errors.js';

/** `\x89SRF\r\n\x1a\n`: a non-ASCII first byte, then line endings and ^Z that text-mode copies mangle (as PNG's signature). */
export const MAGIC = Buffer.from([0x89, 0x53, 0x52, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
export const FORMAT_VERSION = 1;
/** magic(8) version(1) header length(4): enough to know how much header to read */
export const PREAMBLE_LENGTH = MAGIC.length + 1 + 4;

export const MIN_SEGMENT_SIZE = 64 * 1024;
export const MAX_SEGMENT_SIZE = 1024 * 1024;
/** 1 MiB measured fastest here (test/bench/file.bench.ts); every size in range is valid. */
export const DEFAULT_SEGMENT_SIZE = 1024 * 1024;
export const TAG_LENGTH = 16;
export const SALT_LENGTH = 32;
export const NONCE_PREFIX_LENGTH = 7;
const COMMITMENT_LENGTH = 32;
export const MAC_LENGTH = 32;
const DATA_KEY_LENGTH = 32;
/** The index is a uint32 in the nonce. */
export const MAX_SEGMENTS = 2 ** 32;

const MAX_ARN_LENGTH = 2048;
const MAX_DATA_KEY_BLOB_LENGTH = 4096;
/** 8 KiB of keys and values (AWS's limit) plus 8 bytes of lengths per pair, generously rounded */
const MAX_CONTEXT_LENGTH = 96 * 1024;
const MAX_HEADER_LENGTH = 128 * 1024;

/** HKDF-SHA256 `info` labels; salt = the header's salt, IKM = the data key. */
export const LABELS = {
  segment: 'strongroom-file v1 segment key',
  mac: 'strongroom-file v1 header mac key',
  commitment: 'strongroom-file v1 key commitment',
} as const;

export interface FileHeader {
  segmentSize: number;
  salt: Buffer;
  noncePrefix: Buffer;
  /** the CMK's ARN, as GenerateDataKey returned it */
  keyArn: string;
  /** GenerateDataKey's CiphertextBlob */
  encryptedDataKey: Buffer;
  encryptionContext: Record<string, string>;
  commitment: Buffer;
  mac: Buffer;
  /** the whole header as stored, MAC included */
  bytes: Buffer;
}

/** InvalidCiphertextException that names the first segment that failed. */
export class SegmentError extends KmsError {
  readonly segment: number;
  constructor(segment: number, message: string) {
    super('InvalidCiphertextException', message);
    this.segment = segment;
  }
}

export function checkSegmentSize(size: number): number {
  if (!Number.isInteger(size) || size < MIN_SEGMENT_SIZE || size > MAX_SEGMENT_SIZE) {
    throw validation(`SegmentSize must be an integer from ${MIN_SEGMENT_SIZE} (64 KiB) to ${MAX_SEGMENT_SIZE} (1 MiB) bytes, got ${size}.`);
  }
  return size;
}

// ---------------------------------------------------------------- keys

interface FileKeys {
  segmentKey: KeyObject;
  macKey: KeyObject;
  commitment: Buffer;
}

/** Derives the file's keys from the data key, which the caller then zeroes. */
export function deriveKeys(dataKey: Uint8Array, salt: Uint8Array): FileKeys {
  if (dataKey.length !== DATA_KEY_LENGTH) throw invalidCiphertext(`expected a data key of length ${DATA_KEY_LENGTH}, got length=${dataKey.length}`);
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, salt, info, 32));
  const seg = derive(LABELS.segment);
  const mac = derive(LABELS.mac);
  try {
    return { segmentKey: createSecretKey(seg), macKey: createSecretKey(mac), commitment: derive(LABELS.commitment) };
  } finally {
    seg.fill(0);
    mac.fill(0);
  }
}

// ---------------------------------------------------------------- header

interface HeaderFields {
  segmentSize: number;
  salt: Uint8Array;
  noncePrefix: Uint8Array;
  keyArn: string;
  encryptedDataKey: Uint8Array;
  encryptionContext: EncryptionContext | undefined;
}

/** Builds the header, commitment and MAC included. */
export function encodeHeader(f: HeaderFields, keys: FileKeys): FileHeader {
  checkSegmentSize(f.segmentSize);
  const arn = Buffer.from(f.keyArn, 'utf8');
  if (arn.length < 1 || arn.length > MAX_ARN_LENGTH) throw validation(`The key ARN is ${arn.length} bytes; at most ${MAX_ARN_LENGTH} fit a file header.`);
  if (f.encryptedDataKey.length < 1 || f.encryptedDataKey.length > MAX_DATA_KEY_BLOB_LENGTH) {
    throw validation(`The encrypted data key is ${f.encryptedDataKey.length} bytes; at most ${MAX_DATA_KEY_BLOB_LENGTH} fit a file header.`);
  }
  const ctx = canonicalContext(f.encryptionContext);
  const parts: Buffer[] = [];
  const u8 = (n: number) => Buffer.of(n);
  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n);
    return b;
  };
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const length =
    PREAMBLE_LENGTH + 4 + SALT_LENGTH + NONCE_PREFIX_LENGTH + 2 + arn.length + 2 + f.encryptedDataKey.length + 4 + ctx.length + COMMITMENT_LENGTH + MAC_LENGTH;
  parts.push(MAGIC, u8(FORMAT_VERSION), u32(length), u32(f.segmentSize));
  parts.push(Buffer.from(checkLength(f.salt, SALT_LENGTH, 'salt')), Buffer.from(checkLength(f.noncePrefix, NONCE_PREFIX_LENGTH, 'nonce prefix')));
  parts.push(u16(arn.length), arn, u16(f.encryptedDataKey.length), Buffer.from(f.encryptedDataKey), u32(ctx.length), ctx, keys.commitment);
  const body = Buffer.concat(parts);
  const mac = createHmac('sha256', keys.macKey).update(body).digest();
  const bytes = Buffer.concat([body, mac]);
  if (bytes.length !== length) throw new Error(`header length mismatch: ${bytes.length} != ${length}`);
  return parseHeader(bytes);
}

function checkLength(b: Uint8Array, n: number, what: string): Uint8Array {
  if (b.length !== n) throw new Error(`expected ${what} of length ${n}, got length=${b.length}`);
  return b;
}

export const NOT_A_STRONGROOM_FILE = 'The input is not a Strongroom encrypted file (its first bytes are not the Strongroom file signature).';

/**
 * Reads the preamble: checks the signature and version and returns the
 * header's total length. Throws InvalidCiphertextException otherwise.
 */
export function headerLength(preamble: Uint8Array): number {
  const b = Buffer.from(preamble.buffer, preamble.byteOffset, preamble.byteLength);
  if (b.length < PREAMBLE_LENGTH || !b.subarray(0, MAGIC.length).equals(MAGIC)) throw invalidCiphertext(NOT_A_STRONGROOM_FILE);
  const version = b[MAGIC.length]!;
  if (version !== FORMAT_VERSION) {
    throw invalidCiphertext(`The file is a Strongroom encrypted file of format version ${version}; this Strongroom reads version ${FORMAT_VERSION} only.`);
  }
  const length = b.readUInt32BE(MAGIC.length + 1);
  if (length < PREAMBLE_LENGTH + 4 || length > MAX_HEADER_LENGTH) throw malformed(`its header length ${length} is out of range`);
  return length;
}

const malformed = (why: string) => invalidCiphertext(`The Strongroom file header is malformed: ${why}. The file is damaged or was not written by Strongroom.`);

/** Parses a whole header (structure only: nothing is authenticated until verifyHeader). */
export function parseHeader(bytes: Buffer): FileHeader {
  const length = headerLength(bytes);
  if (bytes.length !== length) throw malformed(`expected ${length} header bytes, got ${bytes.length}`);
  let o = PREAMBLE_LENGTH;
  const take = (n: number, what: string): Buffer => {
    if (o + n > length) throw malformed(`the ${what} runs past the end of the header`);
    const s = bytes.subarray(o, o + n);
    o += n;
    return s;
  };
  const segmentSize = take(4, 'segment size').readUInt32BE();
  if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) throw malformed(`segment size ${segmentSize} is out of range`);
  const salt = take(SALT_LENGTH, 'salt');
  const noncePrefix = take(NONCE_PREFIX_LENGTH, 'nonce prefix');
  const arnLength = take(2, 'key ARN length').readUInt16BE();
  if (arnLength < 1 || arnLength > MAX_ARN_LENGTH) throw malformed(`key ARN length ${arnLength} is out of range`);
  const keyArn = decodeUtf8(take(arnLength, 'key ARN'), 'key ARN');
  const edkLength = take(2, 'encrypted data key length').readUInt16BE();
  if (edkLength < 1 || edkLength > MAX_DATA_KEY_BLOB_LENGTH) throw malformed(`encrypted data key length ${edkLength} is out of range`);
  const encryptedDataKey = take(edkLength, 'encrypted data key');
  const ctxLength = take(4, 'encryption context length').readUInt32BE();
  if (ctxLength < 4 || ctxLength > MAX_CONTEXT_LENGTH) throw malformed(`encryption context length ${ctxLength} is out of range`);
  const encryptionContext = decodeContext(take(ctxLength, 'encryption context'));
  const commitment = take(COMMITMENT_LENGTH, 'key commitment');
  const mac = take(MAC_LENGTH, 'header MAC');
  if (o !== length) throw malformed(`${length - o} unexpected bytes before the end of the header`);
  return { segmentSize, salt, noncePrefix, keyArn, encryptedDataKey, encryptionContext, commitment, mac, bytes };
}

function decodeUtf8(b: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    throw malformed(`the ${what} is not valid UTF-8`);
  }
}

/** Decodes the canonical encoding (core/codecs/encryption-context.ts) and insists it is canonical. */
function decodeContext(b: Buffer): Record<string, string> {
  let o = 0;
  const u32 = (what: string) => {
    if (o + 4 > b.length) throw malformed(`the encryption context's ${what} runs past its end`);
    const n = b.readUInt32BE(o);
    o += 4;
    return n;
  };
  const str = (what: string) => {
    const n = u32(`${what} length`);
    if (o + n > b.length) throw malformed(`the encryption context's ${what} runs past its end`);
    const s = decodeUtf8(b.subarray(o, o + n), `encryption context ${what}`);
    o += n;
    return s;
  };
  const count = u32('pair count');
  if (count > b.length) throw malformed('the encryption context pair count is out of range');
  const out: Record<string, string> = Object.create(null);
  for (let i = 0; i < count; i++) {
    const k = str('key');
    out[k] = str('value');
  }
  if (o !== b.length) throw malformed('the encryption context has trailing bytes');
  const plain = { ...out };
  if (Object.prototype.hasOwnProperty.call(out, '__proto__') || !canonicalContext(plain).equals(b)) {
    throw malformed('the encryption context is not in canonical form');
  }
  return plain;
}

/**
 * Checks the key commitment (before anything else is trusted) and then the
 * header MAC, in constant time. Throws InvalidCiphertextException.
 */
export function verifyHeader(h: FileHeader, keys: FileKeys): void {
  if (!timingSafeEqual(h.commitment, keys.commitment)) {
    throw invalidCiphertext('The file\'s key commitment does not match its data key: the header was modified or the encrypted data key was replaced.');
  }
  const body = h.bytes.subarray(0, h.bytes.length - MAC_LENGTH);
  const mac = createHmac('sha256', keys.macKey).update(body).digest();
  if (!timingSafeEqual(mac, h.mac)) throw invalidCiphertext('The file header failed authentication: the header was modified.');
}

// ---------------------------------------------------------------- segments

/** nonce = prefix(7) ‖ index(uint32 BE) ‖ 0x01 if final else 0x00 */
export function segmentNonce(prefix: Uint8Array, index: number, final: boolean): Buffer {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SEGMENTS) throw validation(`Segment index ${index} is out of range: a file has at most 2^32 segments.`);
  const n = Buffer.alloc(12);
  n.set(prefix, 0);
  n.writeUInt32BE(index, NONCE_PREFIX_LENGTH);
  n[11] = final ? 1 : 0;
  return n;
}

/**
 * Feeding GCM in 64 KiB pieces is ~3× faster than one call per MiB here:
 * each call allocates its output, and allocations above glibc's mmap
 * threshold (128 KiB) are page-faulted in afresh every time.
 */
const PIECE = 64 * 1024;

/** The STREAM segments of one stream: one key, one nonce prefix, one associated data for every segment. */
export interface Stream {
  /** ciphertext pieces then the 16-byte tag, ready for writev */
  seal(index: number, final: boolean, plaintext: Uint8Array): Buffer[];
  /** plaintext pieces; throws SegmentError when the segment fails authentication */
  open(index: number, final: boolean, sealed: Uint8Array): Buffer[];
  /** whether the segment would authenticate at this index and finality (for telling a cut file from a modified one) */
  verifies(index: number, final: boolean, sealed: Uint8Array): boolean;
}

export interface Segments extends Stream {
  readonly header: FileHeader;
}

/** A file's segments: the header MAC is every segment's associated data, which binds them to this header. */
export function segments(header: FileHeader, key: KeyObject): Segments {
  return { header, ...stream(key, header.noncePrefix, header.mac) };
}

/**
 * The STREAM construction over any header that supplies a nonce prefix and
 * the associated data to bind every segment to (the file format's header
 * MAC here; the backup format's, main/backup/header.ts).
 */
export function stream(key: KeyObject, noncePrefix: Uint8Array, aad: Uint8Array): Stream {
  if (noncePrefix.length !== NONCE_PREFIX_LENGTH) throw new Error(`expected nonce prefix of length ${NONCE_PREFIX_LENGTH}, got length=${noncePrefix.length}`);
  return {
    seal(index, final, plaintext) {
      const c = createCipheriv('aes-256-gcm', key, segmentNonce(noncePrefix, index, final));
      c.setAAD(aad);
      const out: Buffer[] = [];
      for (let o = 0; o < plaintext.length; o += PIECE) out.push(c.update(plaintext.subarray(o, Math.min(plaintext.length, o + PIECE))));
      c.final();
      out.push(c.getAuthTag());
      return out;
    },
    open(index, final, sealed) {
      if (sealed.length < TAG_LENGTH) throw new SegmentError(index, `Segment ${index} is ${sealed.length} bytes, shorter than its authentication tag: the file is truncated.`);
      const out: Buffer[] = [];
      if (!tryOpen(key, noncePrefix, aad, index, final, sealed, out)) {
        throw new SegmentError(index, `Segment ${index} failed authentication: the file was modified, truncated, reordered or spliced, or it is being read with another data key.`);
      }
      return out;
    },
    verifies(index, final, sealed) {
      return sealed.length >= TAG_LENGTH && tryOpen(key, noncePrefix, aad, index, final, sealed, null);
    },
  };
}

/**
 * Decrypts into `out` (or, with out = null, only checks) and says whether the
 * tag verified. Plaintext is collected first and handed over only if the tag
 * verifies, so no unauthenticated byte leaves this function.
 */
function tryOpen(key: KeyObject, noncePrefix: Uint8Array, aad: Uint8Array, index: number, final: boolean, sealed: Uint8Array, out: Buffer[] | null): boolean {
  const end = sealed.length - TAG_LENGTH;
  const d = createDecipheriv('aes-256-gcm', key, segmentNonce(noncePrefix, index, final));
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(end));
  const pieces: Buffer[] = [];
  for (let o = 0; o < end; o += PIECE) pieces.push(d.update(sealed.subarray(o, Math.min(end, o + PIECE))));
  try {
    d.final();
  } catch {
    for (const p of pieces) p.fill(0);
    return false;
  }
  if (out) out.push(...pieces);
  else for (const p of pieces) p.fill(0);
  return true;
}
