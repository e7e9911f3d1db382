// encryptFile: envelope encryption of a file or stream of any size under a
// CMK (docs/file-format.md). One GenerateDataKey call per file, so the
// access check, key state checks and audit record are GenerateDataKey's;
// the data key is used to derive the file's keys and zeroed at once.
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Service } from '../core/service/service.js';
import type { Caller } from '../core/service/caller.js';
import type { EncryptionContext } from '../core/codecs/encryption-context.js';
import { validation } from '../core/errors.js';
import {
  checkSegmentSize,
  DEFAULT_SEGMENT_SIZE,
  deriveKeys,
  encodeHeader,
  MAX_SEGMENTS,
  NONCE_PREFIX_LENGTH,
  SALT_LENGTH,
  segments,
} from './format.js';
import { checkPaths, openOutput, type Output } from './outputs.js';
import { openSource, type InputStream, type Source } from './sources.js';
import { pump } from './pump.js';

/** What encryptFile and decryptFile need of the service: service.call. */
export type KmsService = Pick<Service, 'call'>;

export type ProgressListener = (done: number, total: number | undefined) => void;

export interface EncryptFileRequest {
  /** the CMK: key id, key ARN, alias name or alias ARN */
  KeyId: string;
  /** the file to encrypt; or give Input */
  InPath?: string;
  /** a stream to encrypt (stdin, a pipe); or give InPath */
  Input?: InputStream;
  /** where to write the encrypted file (via a temporary file renamed into place); or give Output */
  OutPath?: string;
  /** a stream to write the encrypted bytes to as they are made (the stream is not ended); or give OutPath */
  Output?: Writable;
  /** bound to the data key and stored in the header; decrypting checks it */
  EncryptionContext?: EncryptionContext;
  /** plaintext bytes per segment, 64 KiB–1 MiB; default 1 MiB */
  SegmentSize?: number;
  /** called after each segment with plaintext bytes done and the input's size (undefined for a stream) */
  onProgress?: ProgressListener;
  /** aborting stops between segments, removes the temporary file and rejects with the signal's reason */
  signal?: AbortSignal;
}

export interface EncryptFileResult {
  /** the CMK's ARN */
  KeyId: string;
  SegmentSize: number;
  Segments: number;
  /** plaintext bytes read */
  BytesRead: number;
  /** encrypted bytes written (header included) */
  BytesWritten: number;
}

export async function encryptFile(service: KmsService, caller: Caller, req: EncryptFileRequest): Promise<EncryptFileResult> {
  const { input, output } = endpoints(req);
  if (typeof req.KeyId !== 'string' || req.KeyId.length === 0) throw validation('KeyId is required: the key to encrypt under.');
  const segmentSize = checkSegmentSize(req.SegmentSize ?? DEFAULT_SEGMENT_SIZE);
  req.signal?.throwIfAborted();
  const dest = 'path' in output ? await checkPaths('path' in input ? input.path : undefined, output.path) : undefined;

  const source = await openSource(input);
  let out: Output | undefined;
  try {
    if (source.size !== undefined && Math.ceil(source.size / segmentSize) > MAX_SEGMENTS) {
      throw validation(`The input is too large for segments of ${segmentSize} bytes (at most 2^32 segments).`);
    }
    const dk = (await service.call(caller, 'GenerateDataKey', {
      KeyId: req.KeyId,
      KeySpec: 'AES_256',
      ...(req.EncryptionContext !== undefined ? { EncryptionContext: req.EncryptionContext } : {}),
    })) as { CiphertextBlob: Uint8Array; Plaintext: Uint8Array; KeyId: string };
    const salt = randomBytes(SALT_LENGTH);
    let keys;
    try {
      keys = deriveKeys(dk.Plaintext, salt);
    } finally {
      dk.Plaintext.fill(0);
    }
    const header = encodeHeader(
      {
        segmentSize,
        salt,
        noncePrefix: randomBytes(NONCE_PREFIX_LENGTH),
        keyArn: dk.KeyId,
        encryptedDataKey: dk.CiphertextBlob,
        encryptionContext: req.EncryptionContext,
      },
      keys,
    );
    const seg = segments(header, keys.segmentKey);

    out = await openOutput(output, dest);
    const sink = out.sink;
    await sink.write([header.bytes], header.bytes.length);
    const total = source.size;
    req.onProgress?.(0, total);
    const r = await pump(source, sink, {
      chunk: segmentSize,
      transform: (index, final, data) => seg.seal(index, final, data),
      signal: req.signal,
      onChunk: req.onProgress ? (done) => req.onProgress!(done, total) : undefined,
    });
    req.signal?.throwIfAborted();
    await out.commit();
    out = undefined;
    return { KeyId: dk.KeyId, SegmentSize: segmentSize, Segments: r.chunks, BytesRead: r.read, BytesWritten: header.bytes.length + r.written };
  } finally {
    await out?.discard();
    // after an abort a read from a pipe may be pending for good: close without waiting
    const closing = source.close().catch(() => undefined);
    if (!req.signal?.aborted) await closing;
  }
}

type InputEndpoint = { path: string } | { stream: InputStream };
type OutputEndpoint = { path: string } | { stream: Writable };

/** Exactly one of InPath/Input and one of OutPath/Output. */
export function endpoints(req: { InPath?: string | undefined; Input?: InputStream | undefined; OutPath?: string | undefined; Output?: Writable | undefined }): {
  input: InputEndpoint;
  output: OutputEndpoint;
} {
  if ((req.InPath === undefined) === (req.Input === undefined)) throw validation('Give exactly one of InPath (a file) and Input (a stream).');
  if ((req.OutPath === undefined) === (req.Output === undefined)) throw validation('Give exactly one of OutPath (a file) and Output (a stream).');
  if (req.InPath !== undefined && (typeof req.InPath !== 'string' || req.InPath === '')) throw validation('InPath must be a non-empty path.');
  if (req.OutPath !== undefined && (typeof req.OutPath !== 'string' || req.OutPath === '')) throw validation('OutPath must be a non-empty path.');
  return {
    input: req.InPath !== undefined ? { path: req.InPath } : { stream: req.Input! },
    output: req.OutPath !== undefined ? { path: req.OutPath } : { stream: req.Output! },
  };
}

export type { Source };
