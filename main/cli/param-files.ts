// `file://` and `fileb://` parameter values, as the AWS CLI reads them
// (awscli/paramfile.py): `fileb://path` is the file's raw bytes,
// `file://path` its text (UTF-8). A leading `~` is the home directory;
// relative paths are relative to the working directory.
//
// Unlike the AWS CLI, a file is read only up to one byte past what the
// parameter may hold (ReadLimit): `fileb:///dev/zero`, a FIFO that never
// ends or a file of many GiB is refused after that many bytes, and a regular
// file that is too large without reading any of it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { validation } from '../core/errors.js';
import { UsageError } from './usage-error.js';

type ParamFile = { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array } | undefined;

/** The most a parameter's file may hold, and how to say so. */
export interface ReadLimit {
  readonly maxBytes: number;
  /**
   * The refusal, given the parameter value (`fileb:///dev/zero`): a
   * ValidationException naming the member and its limit.
   */
  readonly refuse: (value: string) => Error;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function expandPath(path: string, cwd: string): string {
  if (path === '~' || path.startsWith('~/')) return homedir() + path.slice(1);
  return resolve(cwd, path);
}

/** Reads in pieces this large, so a small limit never allocates more than it needs. */
const PIECE = 64 * 1024;

/**
 * The file's bytes, or undefined when it holds more than `maxBytes`: at most
 * maxBytes + 1 bytes are read (none, for a regular file whose size says it
 * is too large), whatever the file is — a device, a FIFO, a growing file.
 * Throws the file system's error (ENOENT, EISDIR, …).
 */
export function readFileAtMost(path: string, maxBytes: number): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
    if (st.isFile() && st.size > maxBytes) return undefined;
    const pieces: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const want = Math.min(maxBytes + 1 - total, PIECE);
      const piece = Buffer.allocUnsafe(want);
      const n = readSync(fd, piece, 0, want, null);
      if (n === 0) break;
      pieces.push(n === want ? piece : piece.subarray(0, n));
      total += n;
    }
    return total > maxBytes ? undefined : Buffer.concat(pieces, total);
  } finally {
    closeSync(fd);
  }
}

/** Loads `value` if it is a `file://` or `fileb://` reference; undefined for a literal value. */
export function loadParamFile(value: string, option: string, cwd: string, limit: ReadLimit): ParamFile {
  const m = /^(fileb?):\/\/(.*)$/s.exec(value);
  if (!m) return undefined;
  const [, scheme, path = ''] = m;
  if (path === '') throw new UsageError(`Error parsing parameter '${option}': ${scheme}:// needs a path, like ${scheme}://data.bin`);
  let bytes: Buffer | undefined;
  try {
    bytes = readFileAtMost(expandPath(path, cwd), limit.maxBytes);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : ((e as Error).message ?? String(e));
    throw new UsageError(`Error parsing parameter '${option}': Unable to load paramfile ${value}: ${reason}`);
  }
  if (bytes === undefined) throw limit.refuse(value);
  if (scheme === 'fileb') return { kind: 'bytes', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  try {
    return { kind: 'text', text: utf8.decode(bytes) };
  } catch {
    throw new UsageError(
      `Error parsing parameter '${option}': ${value} is not UTF-8 text; use fileb://${path} to pass a file's raw bytes`,
    );
  }
}

/** The limit of a parameter with no stated limit of its own (--cli-input-json, a policy, a JSON list). */
export function unstatedLimit(name: string, maxBytes: number): ReadLimit {
  return {
    maxBytes,
    refuse: (value) =>
      validation(`${name}: ${value} holds more than ${maxBytes} bytes, the most Strongroom reads for a parameter without a stated limit.`),
  };
}
