// Sources for file encryption: a regular file read with positional reads on
// libuv's thread pool, or a stream (stdin, a pipe), each filling whole
// buffers on request, in order.
import { constants, open as fsOpen, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { validation } from '../core/errors.js';

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
export function fsError(e: unknown, path: string, doing: 'read' | 'write'): Error {
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
