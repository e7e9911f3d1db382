// Where file encryption writes: a temporary file beside the destination,
// synced and renamed into place only on success (so a failure leaves no
// partial file), a device or stream, and the checks made on the paths
// before any key is used.
import { randomBytes } from 'node:crypto';
import { constants, createWriteStream, open as fsOpen, type Stats } from 'node:fs';
import { lstat, open, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { validation } from '../core/errors.js';
import { fsError } from './sources.js';
import { BACKGROUND_SYNC_BYTES, FileSink, type Sink, StreamSink } from './sinks.js';

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
