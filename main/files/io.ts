// Byte plumbing for file encryption: sources that fill whole buffers, sinks
// that take ordered writes, the read-ahead/write-behind pump that overlaps
// reading, the (synchronous) segment crypto and writing, and the
// temporary-file output that is renamed into place only on success.
//
// Throughput comes from keeping the main thread on crypto only: positional
// reads and writes (FileHandle, libuv's thread pool) run on the other core
// while a segment is sealed, with a few large buffers reused throughout, so
// memory is constant in the file size.
import { randomBytes } from 'node:crypto';
import { constants, createWriteStream, open as fsOpen, type Stats } from 'node:fs';
import { lstat, open, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { validation } from '../core/errors.js';
import { collectYoungGarbage, GC_EVERY_BYTES } from './gc.js';

// ---------------------------------------------------------------- sources

export interface Source {
  /** bytes in the input when known (a regular file), else undefined */
  readonly size: number | undefined;
  /**
   * Fills buf[0, len) unless the input ends first and returns how many bytes
   * it read (fewer than len only at the end). Calls may overlap; they are
   * served in the order they were made.
   */
  read(buf: Buffer, len: number): Promise<number>;
  close(): Promise<void>;
  /** the first bytes without consuming them (regular files only; undefined for a stream) */
  peek?(n: number): Promise<Buffer>;
}

/** A regular file read with positional reads, several in flight at once. */
class FileSource implements Source {
  #pos: number;
  constructor(
    readonly fh: FileHandle,
    readonly size: number,
    start = 0,
  ) {
    this.#pos = start;
  }
  async read(buf: Buffer, len: number): Promise<number> {
    const at = this.#pos;
    this.#pos += len;
    let got = 0;
    while (got < len) {
      const { bytesRead } = await this.fh.read(buf, got, len - got, at + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got;
  }
  async peek(n: number): Promise<Buffer> {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await this.fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

/** Any byte stream (stdin, a pipe, a Readable the caller made): reads are serialized. */
class StreamSource implements Source {
  readonly size = undefined;
  readonly #it: AsyncIterator<Uint8Array | string>;
  #pending: Buffer | undefined;
  #done = false;
  #queue: Promise<unknown> = Promise.resolve();
  constructor(
    input: AsyncIterable<Uint8Array | string>,
    readonly onClose: () => Promise<void> = async () => {},
  ) {
    this.#it = input[Symbol.asyncIterator]();
  }
  read(buf: Buffer, len: number): Promise<number> {
    const p = this.#queue.then(() => this.#fill(buf, len));
    this.#queue = p.catch(() => undefined);
    return p;
  }
  async #fill(buf: Buffer, len: number): Promise<number> {
    let got = 0;
    while (got < len) {
      if (!this.#pending || this.#pending.length === 0) {
        if (this.#done) break;
        const r = await this.#it.next();
        if (r.done) {
          this.#done = true;
          break;
        }
        const v = r.value;
        this.#pending = typeof v === 'string' ? Buffer.from(v) : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
        continue;
      }
      const n = this.#pending.copy(buf, got, 0, Math.min(this.#pending.length, len - got));
      this.#pending = this.#pending.subarray(n);
      got += n;
    }
    return got;
  }
  async close(): Promise<void> {
    if (!this.#done) await this.#it.return?.().catch(() => undefined);
    await this.onClose();
  }
}

export type InputStream = Readable | AsyncIterable<Uint8Array | string>;

/** Opens a path (positional reads if it is a regular file, a stream otherwise) or wraps a stream. */
export async function openSource(input: { path: string } | { stream: InputStream }): Promise<Source> {
  if ('stream' in input) return new StreamSource(input.stream);
  let kind: Stats;
  try {
    kind = await stat(input.path);
  } catch (e) {
    throw fsError(e, input.path, 'read');
  }
  if (kind.isFIFO()) {
    // A named pipe is read through a libuv pipe handle (epoll), as process.stdin
    // is: a blocking read in the thread pool could wait forever for data and
    // hold up the process's exit after a cancellation.
    const fd = await new Promise<number>((res, rej) => fsOpen(input.path, constants.O_RDONLY, (e, fd) => (e ? rej(fsError(e, input.path, 'read')) : res(fd))));
    const socket = new Socket({ fd, readable: true, writable: false });
    return new StreamSource(socket, async () => void socket.destroy());
  }
  const fh = await openInput(input.path);
  const st = await fh.stat();
  if (st.isDirectory()) {
    await fh.close();
    throw validation(`${input.path} is a directory; give a file (or, on the command line, --out-dir for a directory's files).`);
  }
  if (st.isFile()) return new FileSource(fh, st.size);
  // a character device (/dev/zero, a tape): sequential reads
  const stream = fh.createReadStream({ autoClose: false, highWaterMark: 1024 * 1024 });
  return new StreamSource(stream, () => fh.close());
}

async function openInput(path: string): Promise<FileHandle> {
  try {
    return await open(path, constants.O_RDONLY);
  } catch (e) {
    throw fsError(e, path, 'read');
  }
}

/** A file-system error as the user's ValidationException (a bad path is a bad request), with what to fix. */
function fsError(e: unknown, path: string, doing: 'read' | 'write'): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOENT' ? 'no such file or directory'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a directory'
    : code === 'ENOTDIR' ? 'a part of the path is not a directory'
    : code === 'ENOSPC' ? 'no space left on the device'
    : code === 'EROFS' ? 'the file system is read-only'
    : undefined;
  if (why === undefined) return e instanceof Error ? e : new Error(String(e));
  return validation(`Cannot ${doing} ${path}: ${why}.`);
}

// ---------------------------------------------------------------- sinks

interface Sink {
  /**
   * Queues the chunks after everything written before. Resolves when the
   * caller may reuse nothing of its own and may queue more (the sink keeps a
   * few writes in flight); a write error surfaces here or in flush().
   */
  write(chunks: Buffer[], length: number): Promise<void>;
  /** waits for every queued write */
  flush(): Promise<void>;
  /** waits for every queued write to finish, failed or not (before closing after an error) */
  settle(): Promise<void>;
}

const WRITES_IN_FLIGHT = 4;

/**
 * The output is made durable (fdatasync) before it is renamed into place.
 * Syncing only at the end left ~0.3 s of write-back per GiB on the clock;
 * starting write-back every 64 MiB while encryption goes on leaves ~30 ms.
 */
const BACKGROUND_SYNC_BYTES = 64 * 1024 * 1024;

/** Positional writes to a file, several in flight. */
class FileSink implements Sink {
  #pos = 0;
  readonly #inflight: Promise<void>[] = [];
  #syncedTo = 0;
  #syncing: Promise<void> | undefined;
  constructor(
    readonly fh: FileHandle,
    /** start write-back (fdatasync) in the background every this many bytes; 0: never */
    readonly syncEvery = 0,
  ) {}
  async write(chunks: Buffer[], length: number): Promise<void> {
    const at = this.#pos;
    this.#pos += length;
    const p = writeAllAt(this.fh, chunks, length, at);
    p.catch(() => undefined); // observed below or in flush()
    this.#inflight.push(p);
    if (this.#inflight.length >= WRITES_IN_FLIGHT) await this.#inflight.shift();
    if (this.syncEvery > 0 && !this.#syncing && this.#pos - this.#syncedTo >= this.syncEvery) {
      const upTo = this.#pos;
      this.#syncing = this.fh.datasync().then(
        () => {
          this.#syncedTo = upTo;
          this.#syncing = undefined;
        },
        () => {
          this.#syncing = undefined; // the final sync reports it
        },
      );
    }
  }
  async flush(): Promise<void> {
    while (this.#inflight.length) await this.#inflight.shift();
    await this.#syncing;
  }
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#inflight.splice(0), this.#syncing]);
  }
}

async function writeAllAt(fh: FileHandle, chunks: Buffer[], length: number, at: number): Promise<void> {
  let { bytesWritten } = await fh.writev(chunks, at);
  while (bytesWritten < length) {
    // a short write (rare: a full disk reports ENOSPC on the next call): write the rest
    const rest = Buffer.concat(chunks).subarray(bytesWritten);
    const r = await fh.write(rest, 0, rest.length, at + bytesWritten);
    if (r.bytesWritten === 0) throw new Error('the file system accepted no bytes');
    bytesWritten += r.bytesWritten;
  }
}

/** A Writable (stdout, a pipe): ordered writes with back-pressure; the stream is not ended. */
class StreamSink implements Sink {
  #last: Promise<void> = Promise.resolve();
  constructor(readonly stream: Writable) {}
  async write(chunks: Buffer[]): Promise<void> {
    const previous = this.#last;
    let ok = true;
    const done = new Promise<void>((res, rej) => {
      chunks.forEach((c, i) => {
        const last = i === chunks.length - 1;
        ok = this.stream.write(c, last ? (err) => (err ? rej(err) : res()) : undefined) && ok;
      });
      if (chunks.length === 0) res();
    });
    done.catch(() => undefined);
    this.#last = done;
    // two segments in flight: wait for the one before this to be accepted
    await previous;
    if (!ok) await done;
  }
  flush(): Promise<void> {
    return this.#last;
  }
  async settle(): Promise<void> {
    await this.#last.catch(() => undefined);
  }
}

// ---------------------------------------------------------------- pump

interface PumpOptions {
  /** bytes per input chunk (plaintext segment, or sealed segment when decrypting) */
  chunk: number;
  /** turns chunk `index` into output chunks; `final` says it is the last */
  transform(index: number, final: boolean, data: Buffer): Buffer[];
  signal?: AbortSignal | undefined;
  /** input bytes consumed so far (including `offset`) */
  onChunk?: ((done: number) => void) | undefined;
  /** bytes consumed before the pump started (a header) */
  offset?: number;
}

/** Chunks read ahead: with this many reads in flight the thread pool stays busy while a segment is sealed. */
const READ_AHEAD = 3;

/**
 * Reads the source in chunks, transforms each and writes the result; the
 * last chunk is the one followed by end of input (which may be empty only
 * if it is the first). Returns the number of chunks and output bytes.
 */
export async function pump(source: Source, sink: Sink, o: PumpOptions): Promise<{ chunks: number; read: number; written: number }> {
  const free: Buffer[] = Array.from({ length: READ_AHEAD + 1 }, () => Buffer.allocUnsafe(o.chunk));
  const reads: Promise<{ buf: Buffer; n: number }>[] = [];
  let ended = false;
  const issue = () => {
    while (!ended && free.length > 0) {
      const buf = free.pop()!;
      const p = source.read(buf, o.chunk).then((n) => {
        if (n < o.chunk) ended = true;
        return { buf, n };
      });
      p.catch(() => undefined); // observed when it is next()
      reads.push(p);
    }
  };
  const next = async () => {
    issue();
    const r = reads.shift();
    // ended and nothing queued: an empty read after the last full chunk
    return r ? await abortable(r, o.signal) : { buf: free.pop() ?? Buffer.alloc(0), n: 0 };
  };
  try {
    const offset = o.offset ?? 0;
    let done = offset;
    let written = 0;
    let sinceGc = 0;
    let cur = await next();
    for (let index = 0; ; index++) {
      o.signal?.throwIfAborted();
      let following: { buf: Buffer; n: number } | undefined;
      let final = cur.n < o.chunk;
      if (!final) {
        following = await next();
        final = following.n === 0;
      }
      const out = o.transform(index, final, cur.buf.subarray(0, cur.n));
      done += cur.n;
      free.push(cur.buf);
      if (following && following.n === 0) free.push(following.buf);
      let length = 0;
      for (const c of out) length += c.length;
      await abortable(sink.write(out, length), o.signal);
      written += length;
      sinceGc += length;
      if (sinceGc >= GC_EVERY_BYTES) {
        sinceGc = 0;
        collectYoungGarbage();
      }
      o.onChunk?.(done);
      if (final) {
        await abortable(sink.flush(), o.signal);
        return { chunks: index + 1, read: done - offset, written };
      }
      cur = following!;
    }
  } finally {
    // Let reads and writes still in flight settle before the caller closes
    // anything. After an abort, a read from a pipe may never settle (no more
    // data is coming): then leave them, the caller is going away.
    if (!o.signal?.aborted) {
      await Promise.allSettled(reads);
      await sink.settle();
    }
  }
}

/** Rejects with the signal's reason as soon as it aborts, even if `p` never settles (a pipe with no data coming). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}

// ---------------------------------------------------------------- output files

interface TempOutput {
  readonly fh: FileHandle;
  readonly tempPath: string;
  /** makes the file durable and renames it over the destination */
  commit(): Promise<void>;
  /** closes and removes the temporary file; the destination is untouched */
  discard(): Promise<void>;
}

/** A new, private (0600) file beside the destination, with a name no one else uses. */
async function openTempOutput(outPath: string, target = resolve(outPath)): Promise<TempOutput> {
  const dest = target;
  const dir = dirname(dest);
  // `.name.<16 hex>.tmp`, the name cut so the whole stays within 255 bytes (NAME_MAX)
  const name = Buffer.from(basename(dest)).subarray(0, 200).toString('utf8').replace(/\uFFFD$/, '');
  const tempPath = join(dir, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
  let fh: FileHandle;
  try {
    fh = await open(tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    throw fsError(e, outPath, 'write');
  }
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await fh.close();
    }
  };
  return {
    fh,
    tempPath,
    async commit() {
      await fh.datasync();
      await close();
      try {
        await rename(tempPath, dest);
      } catch (e) {
        throw fsError(e, outPath, 'write');
      }
      await syncDir(dir);
    },
    async discard() {
      await close().catch(() => undefined);
      await rm(tempPath, { force: true });
    },
  };
}

/** fsync of the directory makes the rename durable; some platforms refuse it, which is harmless. */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, constants.O_RDONLY);
    await fh.sync();
  } catch {
    // not supported here (Windows) or not permitted: the rename is still atomic
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

export interface Destination {
  /** where the output goes: the destination, or the file a symlink there points to (the link is written through) */
  path: string;
  /** an existing device or named pipe (/dev/null, a FIFO): written directly, as a stream, not via a temporary file */
  device: boolean;
}

/**
 * Resolves the destination and refuses one that is the source (same path, a
 * symlink to it, a hard link to it) or a directory, and a destination
 * directory that does not exist. Called before any key is used or byte is
 * written.
 */
export async function checkPaths(inPath: string | undefined, outPath: string): Promise<Destination> {
  const dest = resolve(outPath);
  let destStat: Stats | undefined;
  try {
    destStat = await stat(dest);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(e, outPath, 'write');
  }
  if (destStat?.isDirectory()) throw validation(`The destination ${outPath} is a directory; give a file path (or, on the command line, use --out-dir).`);
  let destDir: string;
  try {
    destDir = await realpath(dirname(dest));
  } catch {
    throw validation(`Cannot write ${outPath}: its directory ${dirname(dest)} does not exist.`);
  }
  // a destination that is a dangling symlink would be replaced, not followed: say so rather than surprise
  const l = await lstat(dest).catch(() => undefined);
  if (l?.isSymbolicLink() && !destStat) throw validation(`The destination ${outPath} is a symbolic link to a missing file; remove it or write to another path.`);
  const destReal = destStat ? await realpath(dest) : join(destDir, basename(dest));
  const device = destStat !== undefined && !destStat.isFile();
  if (inPath !== undefined) {
    const src = resolve(inPath);
    let srcReal: string;
    let srcStat: Stats;
    try {
      srcReal = await realpath(src);
      srcStat = await stat(src);
    } catch (e) {
      throw fsError(e, inPath, 'read');
    }
    const same = destReal === srcReal || (destStat !== undefined && destStat.dev === srcStat.dev && destStat.ino === srcStat.ino && srcStat.isFile());
    if (same) throw validation(`The destination ${outPath} is the source file ${inPath}; write to another path.`);
  }
  return { path: destReal, device };
}

/** A device or named pipe opened for writing as a stream; finish() ends it once everything is written. */
async function openDeviceOutput(path: string): Promise<{ stream: Writable; finish(): Promise<void>; destroy(): void }> {
  const st = await stat(path);
  let stream: Writable;
  if (st.isFIFO()) {
    const fd = await new Promise<number>((res, rej) => fsOpen(path, constants.O_WRONLY, (e, fd) => (e ? rej(fsError(e, path, 'write')) : res(fd))));
    stream = new Socket({ fd, readable: false, writable: true });
  } else {
    stream = createWriteStream(path, { flags: 'w' });
    await new Promise<void>((res, rej) => {
      stream.once('open', () => res());
      stream.once('error', (e) => rej(fsError(e, path, 'write')));
    });
  }
  stream.on('error', () => undefined); // surfaced through the writes' callbacks
  return {
    stream,
    finish: () =>
      new Promise<void>((res, rej) => {
        stream.once('error', rej);
        stream.end(() => res());
      }),
    destroy: () => void stream.destroy(),
  };
}

export interface Output {
  readonly sink: Sink;
  /** after the last write: rename the temporary file into place (or end the device's stream) */
  commit(): Promise<void>;
  /** on failure: remove the temporary file (or close the device) */
  discard(): Promise<void>;
}

/** The sink for an OutPath (a temporary file renamed into place, or a device written directly) or an Output stream. */
export async function openOutput(output: { path: string } | { stream: Writable }, dest: Destination | undefined): Promise<Output> {
  if ('stream' in output) return { sink: new StreamSink(output.stream), commit: async () => {}, discard: async () => {} };
  if (dest?.device) {
    const d = await openDeviceOutput(dest.path);
    return { sink: new StreamSink(d.stream), commit: d.finish, discard: async () => d.destroy() };
  }
  const temp = await openTempOutput(output.path, dest?.path);
  return { sink: new FileSink(temp.fh, BACKGROUND_SYNC_BYTES), commit: () => temp.commit(), discard: () => temp.discard() };
}
