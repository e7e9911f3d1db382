// decryptFile: opens a Strongroom encrypted file (docs/file-format.md). The
// CMK is found from the header: Decrypt of the encrypted data key, so the
// access check, key state checks and audit record are Decrypt's. Then the
// key commitment and header MAC are checked, and every segment is
// authenticated before a byte of its plaintext is written. File output goes
// to a temporary file renamed into place after the final segment verifies.
import type { Writable } from 'node:stream';
import type { Caller } from '../core/service/caller.js';
import { canonicalContext, type EncryptionContext } from '../core/codecs/encryption-context.js';
import { invalidCiphertext, isKmsError, KmsError, validation } from '../core/errors.js';
import { decryptAgeFile, looksLikeAge, type AgeDecryptService } from './age-decrypt.js';
import { endpoints, type KmsService, type ProgressListener } from './encrypt-file.js';
import { deriveKeys, headerLength, MAGIC, parseHeader, PREAMBLE_LENGTH, SegmentError, segments, TAG_LENGTH, verifyHeader, NOT_A_STRONGROOM_FILE, type FileHeader } from './format.js';
import { abortable, pump } from './pump.js';
import { checkPaths, openOutput, type Destination, type Output } from './outputs.js';
import { openSource, type InputStream } from './sources.js';

export interface DecryptFileRequest {
  /** the encrypted file; or give Input */
  InPath?: string;
  /** an encrypted stream (stdin, a pipe); or give InPath */
  Input?: InputStream;
  /** where to write the plaintext (via a temporary file renamed into place); or give Output */
  OutPath?: string;
  /**
   * a stream to write the plaintext to, one authenticated segment at a time
   * (not ended). A truncated stream is detected at its end, after the
   * segments before the cut were written: inherent to streaming.
   */
  Output?: Writable;
  /** if given, the file must be under this key (Decrypt's KeyId: IncorrectKeyException otherwise) */
  KeyId?: string;
  /** if given, must equal the file's encryption context (InvalidCiphertextException otherwise) */
  EncryptionContext?: EncryptionContext;
  /** called after each segment with encrypted bytes read and the input's size (undefined for a stream) */
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface DecryptFileResult {
  /** `strongroom` (docs/file-format.md), or `age` for an age file handed to decryptAgeFile */
  Format: 'strongroom' | 'age';
  /** the CMK's ARN */
  KeyId: string;
  EncryptionContext: Record<string, string>;
  SegmentSize: number;
  Segments: number;
  /** encrypted bytes read (header included) */
  BytesRead: number;
  /** plaintext bytes written */
  BytesWritten: number;
}

/** decryptFile needs service.call; for age files encrypted to an ssh-rsa key, service.callInternal too (the Service has both). */
export type DecryptService = KmsService & Partial<Pick<AgeDecryptService, 'callInternal'>>;

export async function decryptFile(service: DecryptService, caller: Caller, req: DecryptFileRequest): Promise<DecryptFileResult> {
  const { input, output } = endpoints(req);
  req.signal?.throwIfAborted();
  const dest = 'path' in output ? await checkPaths('path' in input ? input.path : undefined, output.path) : undefined;

  const source = await openSource(input);
  let out: Output | undefined;
  try {
    const head = await source.peek?.(AGE_PEEK);
    if (head && looksLikeAge(head)) return await decryptAge(service, caller, req, (input as { path: string }).path, dest, source.size ?? 0);
    const header = await readHeader(source, req.signal);
    const keys = await openDataKey(service, caller, header, req);
    const seg = segments(header, keys.segmentKey);
    const sealedSize = header.segmentSize + TAG_LENGTH;

    out = await openOutput(output, dest);
    const sink = out.sink;
    const total = source.size;
    req.onProgress?.(header.bytes.length, total);
    const r = await pump(source, sink, {
      chunk: sealedSize,
      offset: header.bytes.length,
      signal: req.signal,
      onChunk: req.onProgress ? (done) => req.onProgress!(done, total) : undefined,
      transform(index, final, data) {
        if (index === 0 && data.length === 0) throw new SegmentError(0, 'Segment 0 is missing: the file has a header but no segments; it was truncated.');
        if (data.length < TAG_LENGTH || (final && index > 0 && data.length === TAG_LENGTH)) {
          throw new SegmentError(index, `Segment ${index} is ${data.length} bytes, too short to be a segment: the file was truncated.`);
        }
        try {
          return seg.open(index, final, data);
        } catch (e) {
          // tell a cut or extended file from a modified one: would this segment verify with the other finality?
          if (final && data.length === sealedSize && seg.verifies(index, false, data)) {
            throw new SegmentError(index + 1, `The file ends after segment ${index}, which is not its final segment: it was truncated (segment ${index + 1} onwards is missing).`);
          }
          if (!final && seg.verifies(index, true, data)) {
            throw new SegmentError(index + 1, `Segment ${index} is the file's final segment, but more data follows it as segment ${index + 1}: bytes were appended to the file.`);
          }
          throw e;
        }
      },
    });
    req.signal?.throwIfAborted();
    await out.commit();
    out = undefined;
    return {
      Format: 'strongroom',
      KeyId: header.keyArn,
      EncryptionContext: { ...header.encryptionContext },
      SegmentSize: header.segmentSize,
      Segments: r.chunks,
      BytesRead: header.bytes.length + r.read,
      BytesWritten: r.written,
    };
  } finally {
    await out?.discard();
    // after an abort a read from a pipe may be pending for good: close without waiting
    const closing = source.close().catch(() => undefined);
    if (!req.signal?.aborted) await closing;
  }
}

/** Enough bytes for looksLikeAge: `age-encryption.org/v1\n` or the armor's BEGIN line. */
const AGE_PEEK = 64;
const AGE_LINE = 'age-encryption.org/v1\n';
const AGE_ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';
/** age's chunk size (C2SP age.md, "Payload"): reported as the segment size of an age file */
const AGE_CHUNK = 64 * 1024;

/**
 * An age file (age-encryption.org/v1, binary or armored) is decrypted by
 * decryptAgeFile with the vault key it was encrypted to (KeyId, required:
 * the age header does not name it). Files only: decryptAgeFile reads a path
 * and writes through its own temporary file.
 */
async function decryptAge(service: DecryptService, caller: Caller, req: DecryptFileRequest, inPath: string, dest: Destination | undefined, size: number): Promise<DecryptFileResult> {
  if (req.KeyId === undefined) {
    throw validation('The input is an age file: give KeyId (--key-id), the vault key it was encrypted to (an ECC_X25519 key, or an RSA key with KeyUsage ENCRYPT_DECRYPT).');
  }
  if (req.EncryptionContext !== undefined && Object.keys(req.EncryptionContext).length > 0) throw validation('The input is an age file, which has no encryption context: omit EncryptionContext.');
  if (!dest || dest.device) throw validation('The input is an age file: decrypt it to a regular file (OutPath), not to a stream or device.');
  req.signal?.throwIfAborted();
  const ageService: AgeDecryptService = {
    call: service.call.bind(service),
    callInternal: (c, op, input) => {
      if (!service.callInternal) throw new KmsError('UnsupportedOperationException', 'This service cannot open age files made for ssh-rsa recipients.');
      return service.callInternal(c, op, input);
    },
  };
  req.onProgress?.(0, size);
  const r = await decryptAgeFile(ageService, caller, { KeyId: req.KeyId, InPath: inPath, OutPath: dest.path });
  req.onProgress?.(size, size);
  return {
    Format: 'age',
    KeyId: r.KeyId,
    EncryptionContext: {},
    SegmentSize: AGE_CHUNK,
    Segments: Math.max(1, Math.ceil(r.BytesWritten / AGE_CHUNK)),
    BytesRead: size,
    BytesWritten: r.BytesWritten,
  };
}

async function readHeader(source: { read(buf: Buffer, len: number): Promise<number> }, signal: AbortSignal | undefined): Promise<FileHeader> {
  const pre = Buffer.alloc(PREAMBLE_LENGTH);
  const n = await abortable(source.read(pre, PREAMBLE_LENGTH), signal);
  if (n === 0) throw invalidCiphertext(`The input is empty. ${NOT_A_STRONGROOM_FILE}`);
  const start = pre.toString('latin1');
  if (n === PREAMBLE_LENGTH && (AGE_LINE.startsWith(start) || AGE_ARMOR.startsWith(start))) throw validation('The input is an age file: age files are decrypted from a file path (InPath, --in PATH), not from a stream.');
  if (!pre.subarray(0, Math.min(n, MAGIC.length)).equals(MAGIC.subarray(0, Math.min(n, MAGIC.length)))) throw invalidCiphertext(NOT_A_STRONGROOM_FILE);
  if (n < PREAMBLE_LENGTH) throw invalidCiphertext(`The input is ${n} bytes long, too short to be a Strongroom encrypted file: it was truncated.`);
  const length = headerLength(pre);
  const bytes = Buffer.alloc(length);
  pre.copy(bytes);
  const got = await abortable(source.read(bytes.subarray(PREAMBLE_LENGTH), length - PREAMBLE_LENGTH), signal);
  if (got < length - PREAMBLE_LENGTH) throw invalidCiphertext('The Strongroom file ends inside its header: it was truncated.');
  return parseHeader(bytes);
}

/** Decrypt of the encrypted data key, then the key commitment and header MAC. */
async function openDataKey(service: KmsService, caller: Caller, header: FileHeader, req: DecryptFileRequest) {
  const given = req.EncryptionContext;
  const contextDiffers = given !== undefined && !canonicalContext(given).equals(canonicalContext(header.encryptionContext));
  let dk: { Plaintext: Uint8Array; KeyId: string };
  try {
    dk = (await service.call(caller, 'Decrypt', {
      CiphertextBlob: header.encryptedDataKey,
      EncryptionContext: given ?? header.encryptionContext,
      ...(req.KeyId !== undefined ? { KeyId: req.KeyId } : {}),
    })) as { Plaintext: Uint8Array; KeyId: string };
  } catch (e) {
    if (contextDiffers && isKmsError(e) && e.name === 'InvalidCiphertextException') {
      throw invalidCiphertext('The encryption context given does not match the one the file was encrypted with.');
    }
    throw e;
  }
  let keys;
  try {
    if (dk.Plaintext.length !== 32) throw invalidCiphertext('The file\'s encrypted data key is not an AES-256 data key: the file was not written by Strongroom.');
    keys = deriveKeys(dk.Plaintext, header.salt);
  } finally {
    dk.Plaintext.fill(0);
  }
  verifyHeader(header, keys);
  if (dk.KeyId !== header.keyArn) {
    throw invalidCiphertext(`The file header names the key ${header.keyArn}, but its data key is under ${dk.KeyId}: the header was modified.`);
  }
  return keys;
}
