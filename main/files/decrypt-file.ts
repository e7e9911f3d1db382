// decryptFile: opens a Strongroom encrypted file (docs/file-format.md). The
// CMK is found from the header: Decrypt of the encrypted data key, so the
// access check, key state checks and audit record are Decrypt's. Then the
// key commitment and header MAC are checked, and every segment is
// authenticated before a byte of its plaintext is written. File output goes
// to a temporary file renamed into place after the final segment verifies.
import type { Writable } from 'node:stream';
import type { Caller } from '../core/context.js';
import { canonicalContext, type EncryptionContext } from '../core/encryption-context.js';
import { invalidCiphertext, isKmsError } from '../core/errors.js';
import { endpoints, type KmsService, type ProgressListener } from './encrypt-file.js';
import { deriveKeys, headerLength, parseHeader, PREAMBLE_LENGTH, SegmentError, segments, TAG_LENGTH, verifyHeader, NOT_A_STRONGROOM_FILE, type FileHeader } from './format.js';
import { checkPaths, FileSink, openSource, openTempOutput, pump, StreamSink, type InputStream, type Sink, type TempOutput } from './io.js';

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

export async function decryptFile(service: KmsService, caller: Caller, req: DecryptFileRequest): Promise<DecryptFileResult> {
  const { input, output } = endpoints(req);
  req.signal?.throwIfAborted();
  if ('path' in output) await checkPaths('path' in input ? input.path : undefined, output.path);

  const source = await openSource(input);
  let temp: TempOutput | undefined;
  try {
    const header = await readHeader(source);
    const keys = await openDataKey(service, caller, header, req);
    const seg = segments(header, keys.segmentKey);
    const sealedSize = header.segmentSize + TAG_LENGTH;

    let sink: Sink;
    if ('path' in output) {
      temp = await openTempOutput(output.path);
      sink = new FileSink(temp.fh);
    } else sink = new StreamSink(output.stream);
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
    await temp?.commit();
    temp = undefined;
    return {
      KeyId: header.keyArn,
      EncryptionContext: { ...header.encryptionContext },
      SegmentSize: header.segmentSize,
      Segments: r.chunks,
      BytesRead: header.bytes.length + r.read,
      BytesWritten: r.written,
    };
  } finally {
    await temp?.discard();
    await source.close().catch(() => undefined);
  }
}

/** The age format's first line (age-encryption.org/v1), which decryptFile hands to the age decryptor. */
export const AGE_MAGIC = Buffer.from('age-encryption.org/v1', 'latin1');

async function readHeader(source: { read(buf: Buffer, len: number): Promise<number> }): Promise<FileHeader> {
  const pre = Buffer.alloc(PREAMBLE_LENGTH);
  const n = await source.read(pre, PREAMBLE_LENGTH);
  if (n === 0) throw invalidCiphertext(`The input is empty. ${NOT_A_STRONGROOM_FILE}`);
  if (n < PREAMBLE_LENGTH) throw invalidCiphertext(`The input is ${n} bytes long, too short to be a Strongroom encrypted file.`);
  const length = headerLength(pre);
  const bytes = Buffer.alloc(length);
  pre.copy(bytes);
  const got = await source.read(bytes.subarray(PREAMBLE_LENGTH), length - PREAMBLE_LENGTH);
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
