// `file://` and `fileb://` parameter values, as the AWS CLI reads them
// (awscli/paramfile.py): `fileb://path` is the file's raw bytes,
// `file://path` its text (UTF-8). A leading `~` is the home directory;
// relative paths are relative to the working directory.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from './usage-error.js';

export type ParamFile = { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array } | undefined;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function expandPath(path: string, cwd: string): string {
  if (path === '~' || path.startsWith('~/')) return homedir() + path.slice(1);
  return resolve(cwd, path);
}

/** Loads `value` if it is a `file://` or `fileb://` reference; undefined for a literal value. */
export function loadParamFile(value: string, option: string, cwd: string): ParamFile {
  const m = /^(fileb?):\/\/(.*)$/s.exec(value);
  if (!m) return undefined;
  const [, scheme, path = ''] = m;
  if (path === '') throw new UsageError(`Error parsing parameter '${option}': ${scheme}:// needs a path, like ${scheme}://data.bin`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(expandPath(path, cwd));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : ((e as Error).message ?? String(e));
    throw new UsageError(`Error parsing parameter '${option}': Unable to load paramfile ${value}: ${reason}`);
  }
  if (scheme === 'fileb') return { kind: 'bytes', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  try {
    return { kind: 'text', text: utf8.decode(bytes) };
  } catch {
    throw new UsageError(
      `Error parsing parameter '${option}': ${value} is not UTF-8 text; use fileb://${path} to pass a file's raw bytes`,
    );
  }
}
