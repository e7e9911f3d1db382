// File jobs: encrypting or decrypting one file, several, or a directory's
// files, as the CLI's encrypt-file / decrypt-file and the desktop app's
// EncryptFile / DecryptFile do. Two steps:
//
//   const plan = await planFileJob('encrypt', { In: ['a.txt', 'photos/'], OutDir: 'sealed' });
//   const { Files } = await encryptFileJob(service, caller, { KeyId, Plan: plan }, { onProgress, signal });
//
// planFileJob turns what was given into (input, output) pairs — directories
// expanded, output names derived, collisions refused, the output directory
// made — before any key is used, so a bad request fails before the vault is
// opened. The jobs then run the pairs one after another through encryptFile
// and decryptFile (which write each output through a temporary file renamed
// into place, and tell age files from Strongroom files), report progress per
// file, and stop at once when the signal aborts: the file being written is
// removed, the files finished before it stay (each is complete), and the job
// rejects with the signal's reason (an `AbortError` unless the caller gave
// its own).
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Caller } from '../core/service/caller.js';
import type { EncryptionContext } from '../core/codecs/encryption-context.js';
import { isKmsError, KmsError, validation } from '../core/errors.js';
import { decryptFile, type DecryptFileResult, type DecryptService } from './decrypt-file.js';
import { encryptFile, type EncryptFileResult, type KmsService } from './encrypt-file.js';
import { type InputStream } from './sources.js';

type FileJobDirection = 'encrypt' | 'decrypt';

/** The extension an encrypt job adds to the names it writes into OutDir, and a decrypt job removes. */
export const EXTENSION = '.sr';

export interface FileJobTargets {
  /**
   * What to encrypt or decrypt: file paths, or directories whose regular
   * files are taken (not recursive; with OutDir); or a single stream (with Out).
   */
  In: readonly (string | InputStream)[];
  /** the one output, for one input: a path, or a stream to write to (not ended); not with OutDir */
  Out?: string | Writable;
  /** a directory for the outputs, created if missing: DIR/<name>.sr, or DIR/<name without .sr> */
  OutDir?: string;
  /** where relative paths start; default: the process's working directory */
  cwd?: string;
}

/** How messages name In, Out and OutDir: the API's names, or an adapter's (the CLI's options). */
export interface TargetNames {
  In: string;
  Out: string;
  OutDir: string;
}

const API_NAMES: TargetNames = { In: 'In', Out: 'Out', OutDir: 'OutDir' };

interface PlannedFile {
  /** an absolute path, or the stream given */
  readonly in: string | InputStream;
  readonly out: string | Writable;
}

export interface FileJobPlan {
  readonly direction: FileJobDirection;
  readonly files: readonly PlannedFile[];
}

/**
 * The (input, output) pairs of a job. Refusals are ValidationException;
 * a directory that cannot be listed or made fails with the file system's error.
 */
export async function planFileJob(direction: FileJobDirection, targets: FileJobTargets, names: TargetNames = API_NAMES): Promise<FileJobPlan> {
  const { In: ins, Out: out, OutDir: outDir } = targets;
  const verb = direction === 'encrypt' ? 'encrypt' : 'decrypt';
  if (ins.length === 0) throw validation(`${names.In} is required: the files to ${verb}.`);
  if ((out === undefined) === (outDir === undefined)) throw validation(`Give exactly one of ${names.Out} and ${names.OutDir}.`);
  const abs = <T>(p: string | T): string | T => (typeof p === 'string' ? resolve(targets.cwd ?? process.cwd(), p) : p);

  if (out !== undefined) {
    if (ins.length > 1) throw validation(`Several inputs need ${names.OutDir}, not ${names.Out}.`);
    const only = ins[0]!;
    if (typeof only === 'string' && (await isDirectory(abs(only)))) {
      throw validation(`${names.In} ${only} is a directory: give ${names.OutDir} to ${verb} its files`);
    }
    return { direction, files: [{ in: abs(only), out: abs(out) }] };
  }

  const given: string[] = [];
  for (const i of ins) {
    if (typeof i !== 'string') throw validation(`A stream input needs ${names.Out}, not ${names.OutDir}.`);
    given.push(i);
  }
  const inputs: string[] = [];
  for (const g of given) {
    const p = abs(g);
    if (await isDirectory(p)) {
      const entries = await readdir(p, { withFileTypes: true });
      const files = entries
        .filter((e) => e.isFile() && (direction === 'encrypt' ? !e.name.endsWith(EXTENSION) : e.name.endsWith(EXTENSION)))
        .map((e) => join(p, e.name))
        .sort();
      inputs.push(...files);
    } else inputs.push(p);
  }
  if (inputs.length === 0) throw validation(`no files to ${direction === 'encrypt' ? 'encrypt' : `decrypt (a directory's files must end in ${EXTENSION})`} in ${given.join(', ')}`);
  const dir = abs(outDir!);
  const files = inputs.map((input) => {
    const name = basename(input);
    if (direction === 'decrypt' && (!name.endsWith(EXTENSION) || name === EXTENSION)) {
      throw validation(`cannot name the output for ${input}: it does not end in ${EXTENSION}; decrypt it with ${names.Out}`);
    }
    return { in: input, out: join(dir, direction === 'encrypt' ? name + EXTENSION : name.slice(0, -EXTENSION.length)) };
  });
  const seen = new Map<string, string>();
  for (const f of files) {
    const other = seen.get(f.out);
    if (other !== undefined) throw validation(`${other} and ${f.in} would both be written to ${f.out}`);
    seen.set(f.out, f.in);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return { direction, files };
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- running

export interface FileJobProgress {
  /** which file of the plan (0-based), of how many */
  readonly FileIndex: number;
  readonly FileCount: number;
  /** the file being read; absent for a stream */
  readonly InPath?: string;
  /** input bytes of this file processed so far, and its size (absent for a stream); never decreasing */
  readonly BytesDone: number;
  readonly BytesTotal?: number;
}

interface FileJobOptions {
  /** called as each file starts and after each of its segments */
  onProgress?: (progress: FileJobProgress) => void;
  /** aborting stops the job between reads and writes; see the top of this file */
  signal?: AbortSignal;
}

/** Per file: its paths (absent for a stream) and what encryptFile / decryptFile report. */
type FileJobFile<R> = { InPath?: string; OutPath?: string } & R;

interface EncryptFileJobRequest {
  Plan: FileJobPlan;
  /** the CMK: key id, key ARN, alias name or alias ARN */
  KeyId: string;
  EncryptionContext?: EncryptionContext;
  /** plaintext bytes per segment, 64 KiB–1 MiB; default 1 MiB */
  SegmentSize?: number;
}

interface DecryptFileJobRequest {
  Plan: FileJobPlan;
  /** if given, every file must be under this key; an age file needs it */
  KeyId?: string;
  /** if given, must equal every file's encryption context */
  EncryptionContext?: EncryptionContext;
}

export async function encryptFileJob(service: KmsService, caller: Caller, req: EncryptFileJobRequest, opts: FileJobOptions = {}): Promise<{ Files: FileJobFile<EncryptFileResult>[] }> {
  return runJob('encrypt', req.Plan, opts, (ends) =>
    encryptFile(service, caller, {
      KeyId: req.KeyId,
      ...ends,
      ...(req.EncryptionContext !== undefined ? { EncryptionContext: req.EncryptionContext } : {}),
      ...(req.SegmentSize !== undefined ? { SegmentSize: req.SegmentSize } : {}),
    }),
  );
}

export async function decryptFileJob(service: DecryptService, caller: Caller, req: DecryptFileJobRequest, opts: FileJobOptions = {}): Promise<{ Files: FileJobFile<DecryptFileResult>[] }> {
  return runJob('decrypt', req.Plan, opts, (ends) =>
    decryptFile(service, caller, {
      ...ends,
      ...(req.KeyId !== undefined ? { KeyId: req.KeyId } : {}),
      ...(req.EncryptionContext !== undefined ? { EncryptionContext: req.EncryptionContext } : {}),
    }),
  );
}

/** What encryptFile and decryptFile take for one planned file. */
interface Ends {
  InPath?: string;
  Input?: InputStream;
  OutPath?: string;
  Output?: Writable;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | undefined) => void;
}

async function runJob<R>(direction: FileJobDirection, plan: FileJobPlan, opts: FileJobOptions, one: (ends: Ends) => Promise<R>): Promise<{ Files: FileJobFile<R>[] }> {
  if (plan.direction !== direction) throw validation(`This plan is for a ${plan.direction} job, not ${direction}: make it with planFileJob('${direction}', …).`);
  const done: FileJobFile<R>[] = [];
  const count = plan.files.length;
  for (const [index, file] of plan.files.entries()) {
    opts.signal?.throwIfAborted();
    const inPath = typeof file.in === 'string' ? file.in : undefined;
    const outPath = typeof file.out === 'string' ? file.out : undefined;
    const report = opts.onProgress;
    let r: R;
    try {
      r = await one({
        ...(inPath !== undefined ? { InPath: inPath } : { Input: file.in as InputStream }),
        ...(outPath !== undefined ? { OutPath: outPath } : { Output: file.out as Writable }),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(report
          ? {
              onProgress: (bytes: number, total: number | undefined) =>
                report({ FileIndex: index, FileCount: count, ...(inPath !== undefined ? { InPath: inPath } : {}), BytesDone: bytes, ...(total !== undefined ? { BytesTotal: total } : {}) }),
            }
          : {}),
      });
    } catch (e) {
      // with several files, say which one failed and how far the job got
      if (isKmsError(e) && count > 1) throw new KmsError(e.name, `${e.message} (${inPath}; ${index} of ${count} files done before it)`);
      throw e;
    }
    done.push({ ...(inPath !== undefined ? { InPath: inPath } : {}), ...(outPath !== undefined ? { OutPath: outPath } : {}), ...r });
  }
  return { Files: done };
}
